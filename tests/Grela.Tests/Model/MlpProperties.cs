using FsCheck.Xunit;
using Grela.Models.RecGrela;
using TorchSharp;
using static Grela.Tests.Ops.TensorTestKit;
using static TorchSharp.torch;

namespace Grela.Tests.Model;

/// <summary>The streaming step's MLP (GELU written out with erf) is the MLP.</summary>
public class MlpProperties
{
    [Property(MaxTest = 20)]
    public void Written_out_gelu_equals_torch_gelu(int seed)
    {
        using var scope = torch.NewDisposeScope();
        var x = Normal(Rng(seed), 3, 50) * 4;
        Close(nn.functional.gelu(x), Mlp.ExactGelu(x), 1e-14, "float64");
        var x32 = x.to_type(ScalarType.Float32);
        Close(nn.functional.gelu(x32), Mlp.ExactGelu(x32), 1e-6, "float32");
    }

    [Property(MaxTest = 10)]
    public void Forward_few_equals_forward_in_eval_mode(int seed)
    {
        using var scope = torch.NewDisposeScope();
        using var m = new Mlp(8, 0.1).Build();
        m.to(ScalarType.Float64);
        m.eval();
        using var _ = no_grad();
        var x = Normal(Rng(seed), 2, 3, 8);
        Close(m.forward(x), m.ForwardFew(x), 1e-12);
    }
}
