namespace Grela.Generators.Tests;
public class SmokeTests
{
    [Fact]
    public void GeneratorTypeExists() => Assert.NotNull(typeof(Grela.Generators.LayerGenerator));
}
