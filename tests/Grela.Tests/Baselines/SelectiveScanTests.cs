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

    private static Tensor Chunked(ScanInputs s, int chunk) => SelectiveScan.Chunked(s.X, s.Delta, s.A, s.B, s.C, s.D, chunk);
    private static Tensor Sequential(ScanInputs s) => SelectiveScan.Sequential(s.X, s.Delta, s.A, s.B, s.C, s.D);

    [Property(MaxTest = 20)]
    public bool Chunked_scan_matches_the_step_by_step_loop(int seed, int rawB, int rawL, int rawDi, int rawN, int rawChunk)
    {
        using var scope = NewDisposeScope();
        var g = new Generator((ulong)(uint)seed);
        var s = Inputs(g, Size(rawB, 2), Size(rawL, 13), Size(rawDi, 4), Size(rawN, 5));
        return MaxDiff(Chunked(s, Size(rawChunk, 7)), Sequential(s)) < 1e-10;
    }

    [Fact]
    public void Large_decays_neither_overflow_nor_lose_the_recent_input()
    {
        using var scope = NewDisposeScope();
        // delta*|A| up to ~100 per step: exp(-S) over a 16-step chunk would overflow even float64's
        // exponent range were it formed directly.
        var s = Inputs(new Generator(17), 2, 40, 3, 8, decayScale: 50);
        var fast = Chunked(s, 16);
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
        var relative = (Chunked(s32, SelectiveScan.DefaultChunk).to(ScalarType.Float64) - reference).abs().max() / reference.abs().max();
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
        var fastGrads = torch.autograd.grad([(Chunked(l, 4) * weight).sum()], leaves);
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
        var (before, after) = (Chunked(s, 5), Chunked(changed, 5));
        Assert.True(MaxDiff(before[.., ..7], after[.., ..7]) == 0);
        Assert.True(MaxDiff(before[.., 7..], after[.., 7..]) > 1e-3);
    }
}
