using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Grela.Layers;

/// <summary>
/// Causal depthwise 1-D convolution along the sequence: position t sees positions t-Kernel+1..t of
/// its own channel (left zero padding Kernel-1). Input and output [B, L, Channels]. Parameters as in
/// PyTorch <c>nn.Conv1d(C, C, K, groups=C)</c>: weight [C, 1, K], bias [C].
/// </summary>
[Leaf(Input = "B L Channels", Output = "B L Channels", Parameters = ["weight: Channels 1 Kernel", "bias: Channels"])]
public sealed partial record CausalDepthwiseConv1d([Positive] int Channels, [Positive] int Kernel) : ILeaf<CausalDepthwiseConv1dModule>
{
    /// <inheritdoc/>
    public CausalDepthwiseConv1dModule Create(string path) => new(Channels, Kernel);
}

/// <summary>The module of <see cref="CausalDepthwiseConv1d"/>.</summary>
public sealed class CausalDepthwiseConv1dModule : nn.Module<Tensor, Tensor>
{
    private readonly int channels;
    private readonly int kernel;

    /// <summary>Convolution weight [C, 1, K].</summary>
    public Parameter weight;

    /// <summary>Convolution bias [C].</summary>
    public Parameter bias;

    /// <summary>Allocates and initialises like PyTorch's Conv1d (uniform in ±1/sqrt(fan_in), fan_in = K).</summary>
    public CausalDepthwiseConv1dModule(int channels, int kernel) : base("CausalDepthwiseConv1d")
    {
        this.channels = channels;
        this.kernel = kernel;
        var bound = 1.0 / Math.Sqrt(kernel);
        using (no_grad())
        {
            weight = new Parameter(empty(channels, 1, kernel).uniform_(-bound, bound));
            bias = new Parameter(empty(channels).uniform_(-bound, bound));
        }
        register_parameter("weight", weight);
        register_parameter("bias", bias);
    }

    /// <summary>Does nothing: the parameters are registered explicitly in the constructor.</summary>
    protected override void RegisterComponents() { }

    /// <summary>x [B, L, C] -> [B, L, C].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var padded = nn.functional.pad(x.transpose(1, 2), [kernel - 1, 0]);
        var y = nn.functional.conv1d(padded, weight, bias, groups: channels).transpose(1, 2);
        return y.MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            weight.Dispose();
            bias.Dispose();
        }
        base.Dispose(disposing);
    }
}
