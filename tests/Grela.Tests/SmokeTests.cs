using TorchSharp;
namespace Grela.Tests;
public class SmokeTests
{
    [Fact]
    public void LibTorchLoads()
    {
        using var a = torch.ones(2, 2);
        Assert.Equal(4f, a.sum().item<float>());
    }
}
