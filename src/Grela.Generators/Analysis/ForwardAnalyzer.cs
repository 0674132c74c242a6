using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Grela.Generators.Model;
using Microsoft.CodeAnalysis;

namespace Grela.Generators.Analysis
{
    /// <summary>Follows tensor shapes through a layer's Forward body and reports mismatches.</summary>
    internal static class ForwardAnalyzer
    {
        public static IEnumerable<DiagnosticInfo> Analyze(SemanticModel semantic, INamedTypeSymbol type, CancellationToken cancellation) =>
            Enumerable.Empty<DiagnosticInfo>();
    }
}
