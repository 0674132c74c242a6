using Grela.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace Consumer;

/// <summary>Gated residual block: h + Drop(Out(Value(LN h) * sigmoid(Gate(LN h)))).</summary>
[Layer]
public sealed partial record GatedBlock([Positive] int Dim, [Rate] double Dropout)
{
    [Sub("norm")] public LayerNorm Norm => new(Dim);
    [Sub("value")] public Linear Value => new(Dim, Dim);
    [Sub("gate")] public Linear Gate => new(Dim, Dim);
    [Sub("out")] public Linear Out => new(Dim, Dim);   // consumer-test: mis-wire
    [Sub("dropout")] public DropoutLayer Drop => new(Dropout);

    [Forward]
    [return: Shape("B L Dim")]
    public Tensor Forward(Module m, [Shape("B L Dim")] Tensor h)
    {
        var x = m.Norm.forward(h);
        var gated = m.Value.forward(x) * sigmoid(m.Gate.forward(x));   // [B, L, Dim]
        return h + m.Drop.forward(m.Out.forward(gated));
    }
}
