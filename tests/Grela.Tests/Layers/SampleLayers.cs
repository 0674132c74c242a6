using Grela.Layers;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Grela.Tests.Layers;

/// <summary>Position-wise feed-forward, as in the authoring contract.</summary>
[Layer]
public sealed partial record SampleMlp([Positive] int Dim, [Rate] double Dropout)
{
    [Sub("fc1")] public Linear Fc1 => new(Dim, Dim * 4);
    [Sub("fc2")] public Linear Fc2 => new(Dim * 4, Dim);
    [Sub("dropout")] public DropoutLayer Drop => new(Dropout);

    [Forward]
    [return: Shape("B L Dim")]
    public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x)
        => m.Drop.forward(m.Fc2.forward(m.Drop.forward(gelu(m.Fc1.forward(x)))));
}

/// <summary>A pre-norm residual block around <see cref="SampleMlp"/> with a buffer and an init hook.</summary>
[Layer]
public sealed partial record SampleBlock([Positive] int Dim, [Positive, Divides(nameof(Dim))] int Heads)
{
    [Sub("norm")] public LayerNorm Norm => new(Dim);
    [Sub("mlp")] public SampleMlp Mlp => new(Dim, 0.0);

    [Buffer("scale")] public Tensor Scale() => ones(Dim);

    [Init]
    public void Init(Module m)
    {
        using var _ = no_grad();
        m.Mlp.Fc2.weight.zero_();
        m.Mlp.Fc2.bias!.zero_();
    }

    [Forward]
    [return: Shape("B L Dim")]
    public Tensor Forward(Module m, [Shape("B L Dim")] Tensor x) => x + m.Mlp.forward(m.Norm.forward(x)) * m.Scale;
}

/// <summary>Embedding, a LayerList of blocks and a learned parameter: like a small model.</summary>
[Layer]
public sealed partial record SampleStack([Positive] int Items, [Positive] int Dim, [Positive] int Depth)
{
    [Sub("item_embedding")] public Embedding Embed => new(Items, Dim, PaddingIdx: 0);
    [Sub("blocks")] public LayerList<SampleBlock> Blocks => LayerList.Repeat(Depth, _ => new SampleBlock(Dim, 2));

    [Parameter("bias")] public Tensor Bias() => zeros(Dim);

    [Forward]
    [return: Shape("B L Dim")]
    public Tensor Forward(Module m, [Shape("B L")] Tensor items)
    {
        var h = m.Embed.forward(items);
        foreach (var block in m.Blocks) h = block.forward(h);
        return h + m.Bias;
    }
}
