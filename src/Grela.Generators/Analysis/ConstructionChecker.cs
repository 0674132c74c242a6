using System.Threading;
using Grela.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Grela.Generators.Analysis
{
    /// <summary>Checks constant arguments of <c>new X(...)</c> against X's hyperparameter constraints.</summary>
    internal static class ConstructionChecker
    {
        public static bool IsCandidate(SyntaxNode node) =>
            node is BaseObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: > 0 };

        public static EquatableArray<DiagnosticInfo> Check(GeneratorSyntaxContext context, CancellationToken cancellation) =>
            EquatableArray<DiagnosticInfo>.Empty;
    }
}
