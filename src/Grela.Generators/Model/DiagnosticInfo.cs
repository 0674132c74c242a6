using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Grela.Generators.Model
{
    /// <summary>A source location as plain values (a <see cref="Location"/> holds a syntax tree).</summary>
    internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
    {
        public static LocationInfo? From(Location? location) =>
            location is null || location.SourceTree is null
                ? null
                : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);

        public static LocationInfo? From(SyntaxNode? node) => node is null ? null : From(node.GetLocation());

        public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

        /// <summary>"line N" (1-based), for messages that point at the other end of a mismatch.</summary>
        public string LineText => "line " + (LineSpan.Start.Line + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A diagnostic to report: descriptor id, location and message arguments.</summary>
    internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments) =>
            new DiagnosticInfo(descriptor.Id, location, arguments.ToEquatableArray());

        public Diagnostic ToDiagnostic() =>
            Diagnostic.Create(
                Diagnostics.DiagnosticDescriptors.ById(Id),
                Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None,
                System.Linq.Enumerable.ToArray<object>(Arguments));
    }

    /// <summary>What the parser found for one record: the model (null when it cannot be emitted) and diagnostics.</summary>
    internal sealed record LayerParseResult(LayerModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
}
