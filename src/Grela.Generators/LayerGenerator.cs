using Microsoft.CodeAnalysis;

namespace Grela.Generators
{
    [Generator(LanguageNames.CSharp)]
    public sealed class LayerGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
        }
    }
}
