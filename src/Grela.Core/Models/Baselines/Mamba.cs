using Grela.Layers;
using Grela.Ops.Baselines;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Grela.Models.Baselines;

/// <summary>
/// The Mamba block (Gu and Dao, 2023; parameter names of mamba_ssm's <c>Mamba</c>), width
/// Di = Expand * Dim, dt rank R = ceil(Dim / 16):
/// [x | z] = u W_in; x = SiLU(causal depthwise conv(x)); [dt | B | C] = x W_x;
/// delta = softplus(dt W_dt + b_dt); A = -exp(A_log);
/// y = selective scan(x, delta, A, B, C, D) * SiLU(z); out = y W_out.
/// Causal: position t depends on positions &lt;= t only.
/// </summary>
[Layer]
public sealed partial record Mamba(
    [Positive] int Dim,
    [Positive] int DState,
    [Positive] int DConv,
    [Positive] int Expand)
{
    /// <summary>Inner width Di = Expand * Dim.</summary>
    public int Inner => Expand * Dim;

    /// <summary>Rank of the delta projection: ceil(Dim / 16), as in mamba_ssm.</summary>
    public int DtRank => (Dim + 15) / 16;

    [Sub("in_proj")] public Linear InProj => new(Dim, 2 * Inner, Bias: false);
    [Sub("conv1d")] public CausalDepthwiseConv1d Conv => new(Inner, DConv);
    [Sub("x_proj")] public Linear XProj => new(Inner, DtRank + 2 * DState, Bias: false);
    [Sub("dt_proj")] public Linear DtProj => new(DtRank, Inner);
    [Sub("out_proj")] public Linear OutProj => new(Inner, Dim, Bias: false);

    /// <summary>A_log[d, n] = log(n + 1): the S4D-real initialisation A = -(1..DState) per channel.</summary>
    [Parameter("A_log")]
    public Tensor ALog() => arange(1, DState + 1, dtype: ScalarType.Float32).log().repeat(Inner, 1);

    /// <summary>The skip weight D, ones.</summary>
    [Parameter("D")]
    public Tensor Skip() => ones(Inner);

    [Forward]
    [return: Shape("B L Dim")]
    public Tensor Forward(Module m, [Shape("B L Dim")] Tensor u)
    {
        var xz = m.InProj.forward(u).chunk(2, -1);
        var x = silu(m.Conv.forward(xz[0]));
        var parts = m.XProj.forward(x).split([DtRank, DState, DState], -1);
        var delta = softplus(m.DtProj.forward(parts[0]));
        var a = -Registered(m, "A_log", m.ALog).exp();
        var y = SelectiveScan.Parallel(x, delta, a, parts[1], parts[2], Registered(m, "D", m.Skip));
        return m.OutProj.forward(y * silu(xz[1]));
    }

    /// <summary>
    /// The parameter registered as <paramref name="name"/> as it is now. Workaround: Module.to (another
    /// device or dtype) replaces registered parameters, and the generated field still points at the
    /// disposed original.
    /// </summary>
    private static Tensor Registered(Module m, string name, Tensor field) => m.get_parameter(name) ?? field;
}
