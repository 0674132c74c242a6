using FsCheck.Xunit;
using Grela.Ops.Baselines;
using TorchSharp;
using static Grela.Tests.Baselines.OperatorInputs;
using static TorchSharp.torch;

namespace Grela.Tests.Baselines;

public class SelectiveScanTests
{
    private sealed record ScanInputs(Tensor X, Tensor Delta, Tensor A, Tensor B, Tensor C, Tensor D)
    {
        public Tensor[] All => [X, Delta, A, B, C, D];
    }

    /// <summary>Mamba-like inputs; <paramref name="decayScale"/> multiplies delta to make decays large.</summary>
    private static ScanInputs Inputs(Generator g, long b, long l, long di, long n, double decayScale = 1.0)
    {
        var delta = nn.functional.softplus(Normal(g, b, l, di)) * decayScale;
        var a = -(arange(1, n + 1, dtype: ScalarType.Float64).unsqueeze(0) * rand([di, 1], dtype: ScalarType.Float64, generator: g) * 2);
        return new(Normal(g, b, l, di), delta, a, Normal(g, b, l, n), Normal(g, b, l, n), Normal(g, di));
    }

    private static Tensor Parallel(ScanInputs s) => SelectiveScan.Parallel(s.X, s.Delta, s.A, s.B, s.C, s.D);
    private static Tensor Sequential(ScanInputs s) => SelectiveScan.Sequential(s.X, s.Delta, s.A, s.B, s.C, s.D);

    [Property(MaxTest = 20)]
    public bool Parallel_scan_matches_the_step_by_step_loop(int seed, int rawB, int rawL, int rawDi, int rawN)
    {
        using var scope = NewDisposeScope();
        var g = new Generator((ulong)(uint)seed);
        var s = Inputs(g, Size(rawB, 2), Size(rawL, 37), Size(rawDi, 4), Size(rawN, 5));
        return MaxDiff(Parallel(s), Sequential(s)) < 1e-10;
    }

    [Property(MaxTest = 20)]
    public bool Linear_recurrence_matches_its_definition(int seed, int rawL)
    {
        using var scope = NewDisposeScope();
        var g = new Generator((ulong)(uint)seed);
        var length = Size(rawL, 40);
        var (a, b) = (rand([2, length, 3], dtype: ScalarType.Float64, generator: g), Normal(g, 2, length, 3));
        var h = zeros(2, 3, dtype: ScalarType.Float64);
        var expected = new List<Tensor>();
        for (var t = 0; t < length; t++) expected.Add(h = a[.., t] * h + b[.., t]);
        return MaxDiff(SelectiveScan.LinearRecurrence(a, b), stack(expected, 1)) < 1e-12;
    }

    [Fact]
    public void Large_decays_neither_overflow_nor_lose_the_recent_input()
    {
        using var scope = NewDisposeScope();
        // delta*|A| up to ~100 per step: a form that divides by cumulative decays (exp(-sum)) would
        // overflow even float64's exponent range within a few steps.
        var s = Inputs(new Generator(17), 2, 40, 3, 8, decayScale: 50);
        var fast = Parallel(s);
        Assert.False(fast.isnan().any().item<bool>() || fast.isinf().any().item<bool>());
        Assert.True(MaxDiff(fast, Sequential(s)) < 1e-9);
    }

    [Fact]
    public void Float32_at_mamba4rec_sizes_stays_close_to_the_loop()
    {
        using var scope = NewDisposeScope();
        var s = Inputs(new Generator(23), 2, 50, 16, 32);
        var s32 = new ScanInputs(s.X.to(ScalarType.Float32), s.Delta.to(ScalarType.Float32), s.A.to(ScalarType.Float32),
            s.B.to(ScalarType.Float32), s.C.to(ScalarType.Float32), s.D.to(ScalarType.Float32));
        var reference = Sequential(s);
        var relative = (Parallel(s32).to(ScalarType.Float64) - reference).abs().max() / reference.abs().max();
        Assert.True(relative.item<double>() < 1e-4, $"relative error {relative.item<double>()}");
    }

    [Fact]
    public void Gradients_match_the_loop()
    {
        using var scope = NewDisposeScope();
        var s = Inputs(new Generator(29), 2, 9, 3, 4);
        var leaves = s.All.Select(t => t.detach().requires_grad_(true)).ToArray();
        var l = new ScanInputs(leaves[0], leaves[1], leaves[2], leaves[3], leaves[4], leaves[5]);
        var weight = Normal(new Generator(31), 2, 9, 3);
        var fastGrads = torch.autograd.grad([(Parallel(l) * weight).sum()], leaves);
        var slowGrads = torch.autograd.grad([(Sequential(l) * weight).sum()], leaves);
        for (var i = 0; i < leaves.Length; i++)
            Assert.True(MaxDiff(fastGrads[i], slowGrads[i]) < 1e-9, $"gradient {i} differs by {MaxDiff(fastGrads[i], slowGrads[i])}");
    }

    [Fact]
    public void Later_inputs_do_not_change_earlier_outputs()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(37);
        var s = Inputs(g, 1, 12, 2, 3);
        var changed = s with { X = s.X.clone() };
        changed.X[.., 7..] = Normal(g, 1, 5, 2);
        var (before, after) = (Parallel(s), Parallel(changed));
        Assert.True(MaxDiff(before[.., ..7], after[.., ..7]) == 0);
        Assert.True(MaxDiff(before[.., 7..], after[.., 7..]) > 1e-3);
    }
}
