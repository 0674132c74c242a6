using System.Runtime.CompilerServices;
using Grela.Ops;
using TorchSharp;
using static Grela.Models.RecGrela.ManagedKernels;
using static TorchSharp.torch;

namespace Grela.Models.RecGrela;

/// <summary>
/// <see cref="RecGrelaStreaming.Step"/> and <see cref="RecGrelaStreaming.Scores"/> for one user in
/// plain C# over float32 copies of a causal model's weights. A step is ~50k multiply-adds per block at
/// width 64; through libtorch it is ~100 small ops whose dispatch and allocations cost milliseconds,
/// here it is the arithmetic alone. The torch path stays the reference (the tests compare the two);
/// this one is for CPU float32 serving. Immutable once built, so users may step in parallel.
/// </summary>
public sealed class ManagedStreaming
{
    private readonly float[] _embedding;          // [Items, Dim]
    private readonly NormWeights _norm;
    private readonly IReadOnlyList<BlockWeights> _blocks;
    private readonly float[] _frequencies;        // RoPE theta_i [Dim/2], as torch forms them

    private ManagedStreaming(RecGrelaModel spec, float[] embedding, NormWeights norm, IReadOnlyList<BlockWeights> blocks, float[] frequencies)
    {
        (Dim, Heads, Items) = (spec.Dim, spec.Heads, spec.Items);
        (_embedding, _norm, _blocks, _frequencies) = (embedding, norm, blocks, frequencies);
    }

    /// <summary>Model width.</summary>
    public int Dim { get; }

    /// <summary>Attention heads.</summary>
    public int Heads { get; }

    /// <summary>Item ids 0..Items-1 (0 = padding), the columns of <see cref="Scores"/>.</summary>
    public int Items { get; }

    private int HeadDim => Dim / Heads;

    /// <summary>Whether the module's weights are float32 on the CPU: where this engine gives the torch step's numbers.</summary>
    public static bool Fits(RecGrelaModel.Module m)
    {
        using var scope = torch.NewDisposeScope();
        var weight = m.ItemEmbedding.weight!;
        return weight.device.type == DeviceType.CPU && weight.dtype == ScalarType.Float32;
    }

    /// <summary>Copies what a step reads out of a causal module, once.</summary>
    public static ManagedStreaming From(RecGrelaModel.Module m)
    {
        var spec = RecGrelaStreaming.Require(m);
        using var _ = no_grad();
        using var scope = torch.NewDisposeScope();
        return new(spec, ManagedWeights.Floats(m.ItemEmbedding.weight!), NormWeights.Of(m.Norm, spec.Norm),
            [.. m.Blocks.Select(BlockWeights.Of)], ManagedWeights.Floats(Rope.Frequencies(spec.Dim)));
    }

    /// <summary>The empty state (no items seen), equal to <see cref="RecGrelaStreaming.Start"/> for one user: register priors in S and z.</summary>
    public ManagedStreamState Start() => new(0, new float[Dim],
        [.. _blocks.Select(b => new ManagedBlockState(
            b.PriorS?.ToArray() ?? new float[Heads * HeadDim * HeadDim],
            b.PriorZ?.ToArray() ?? new float[Dim],
            new float[(RelaAttention.ConvKernel - 1) * Dim]))]);

    /// <summary>The state after <paramref name="items"/>, one step each.</summary>
    public ManagedStreamState Fold(ManagedStreamState state, IEnumerable<long> items) => items.Aggregate(state, Step);

    /// <summary>
    /// Feeds one item: a new state (the old one is left intact). Item 0 (padding) keeps the state,
    /// as a padded row of the torch step does.
    /// </summary>
    [MethodImpl(Hot)]
    public ManagedStreamState Step(ManagedStreamState state, long item)
    {
        if (item == 0) return state;
        if (item < 0 || item >= Items)
            throw new ArgumentOutOfRangeException(nameof(item), item, $"expected an item id in 0..{Items - 1}");
        int dim = Dim;
        var h = new float[dim];
        LayerNorm(_norm, _embedding.AsSpan((int)item * dim, dim), h);
        // One rotation table for every block, at the user's position (padding never advanced it).
        Span<float> cos = stackalloc float[dim / 2], sin = stackalloc float[dim / 2];
        for (int i = 0; i < cos.Length; i++)
        {
            var angle = state.Position * _frequencies[i];        // float32, as torch forms the angles
            (cos[i], sin[i]) = (MathF.Cos(angle), MathF.Sin(angle));
        }
        var scratch = new Scratch(dim);
        var blocks = new ManagedBlockState[_blocks.Count];
        for (int b = 0; b < blocks.Length; b++)
            blocks[b] = BlockStep(_blocks[b], state.Blocks[b], state.Position, cos, sin, h, scratch);
        return new ManagedStreamState(state.Position + 1, h, blocks);
    }

    /// <summary>Work vectors of one step (the MLP's hidden layer is 4 Dim wide).</summary>
    private sealed class Scratch(int dim)
    {
        public readonly float[] X = new float[dim], Gate = new float[dim], U = new float[dim], Features = new float[2 * dim],
            QueryRotated = new float[dim], KeyRotated = new float[dim], Mixed = new float[dim], Y = new float[dim], Wide = new float[4 * dim];
    }

    /// <summary>
    /// One block at the new position, h [Dim] updated in place: the block of <see cref="GrelaBlock.Apply"/>
    /// around the mixer of RecGrelaStreaming's MixStep (linear attention step + SiLU of the causal conv).
    /// </summary>
    [MethodImpl(Hot)]
    private ManagedBlockState BlockStep(BlockWeights w, ManagedBlockState previous, long position, ReadOnlySpan<float> cos, ReadOnlySpan<float> sin, float[] h, Scratch s)
    {
        int dim = Dim, d = HeadDim;
        LayerNorm(w.Norm1, h, s.X);
        Affine(w.ActProj, s.X, s.Gate);
        Silu(s.Gate);
        Affine(w.InProj, s.X, s.U);
        Affine(w.Qk, s.U, s.Features);
        EluPlusOne(s.Features);
        var q = s.Features.AsSpan(0, dim);
        var k = s.Features.AsSpan(dim, dim);
        Rotate(q, cos, sin, s.QueryRotated);
        Rotate(k, cos, sin, s.KeyRotated);

        // Linear attention: S += kr v^T, z += k per head; A = qr S / (q . z + eps n), where n counts
        // this position, those before it and the register slots.
        var nextS = (float[])previous.S.Clone();
        var nextZ = (float[])previous.Z.Clone();
        AddScaled(nextZ, 1f, k);
        var n = (float)(position + w.Registers) + 1f;
        for (int head = 0; head < Heads; head++)
        {
            var v = s.U.AsSpan(head * d, d);
            var a = s.Mixed.AsSpan(head * d, d);
            a.Clear();
            for (int i = 0; i < d; i++)
            {
                var row = nextS.AsSpan((head * d + i) * d, d);
                AddScaled(row, s.KeyRotated[head * d + i], v);
                AddScaled(a, s.QueryRotated[head * d + i], row);
            }
            var denominator = Dot(q.Slice(head * d, d), nextZ.AsSpan(head * d, d)) + n * (float)LinearAttention.Epsilon;
            for (int j = 0; j < d; j++) a[j] /= denominator;
        }

        // The local shortcut: a depthwise conv over the last K inputs (the tail, oldest first, then u).
        const int kernel = RelaAttention.ConvKernel;
        var tail = previous.ConvTail;
        for (int c = 0; c < dim; c++)
        {
            var y = w.ConvBias[c] + w.ConvWeight[c * kernel + kernel - 1] * s.U[c];
            for (int j = 0; j < kernel - 1; j++) y += w.ConvWeight[c * kernel + j] * tail[j * dim + c];
            s.Mixed[c] = (s.Mixed[c] + Silu(y)) * s.Gate[c];
        }
        var nextTail = new float[tail.Length];
        tail.AsSpan(dim).CopyTo(nextTail);
        s.U.AsSpan().CopyTo(nextTail.AsSpan(tail.Length - dim));

        Affine(w.OutProj, s.Mixed, s.Y);
        if (w.Residual)
        {
            AddScaled(h, 1f, s.Y);
            Mlp(w, h, s);
            AddScaled(h, 1f, s.Y);
        }
        else
        {
            Mlp(w, s.Y, s);
            s.Y.CopyTo(h, 0);
        }
        return new ManagedBlockState(nextS, nextZ, nextTail);
    }

    /// <summary>s.Y = MLP(LN2(x)): fc2(GELU(fc1 x)) (dropout is the identity in eval).</summary>
    private static void Mlp(BlockWeights w, ReadOnlySpan<float> x, Scratch s)
    {
        LayerNorm(w.Norm2, x, s.X);
        Affine(w.Fc1, s.X, s.Wide);
        Gelu(s.Wide);
        Affine(w.Fc2, s.Wide, s.Y);
    }

    /// <summary>Full-sort scores of every item 0..Items-1 into <paramref name="scores"/>: hidden . E[item].</summary>
    [MethodImpl(Hot)]
    public void Scores(ManagedStreamState state, Span<float> scores)
    {
        for (int item = 0; item < Items; item++)
            scores[item] = Dot(_embedding.AsSpan(item * Dim, Dim), state.Hidden);
    }

    /// <summary>
    /// The best <paramref name="k"/> items (never padding) with their scores, best first; ties go to
    /// the lower id, and NaN ranks above every number, as torch's topk.
    /// </summary>
    public IReadOnlyList<(long Item, float Score)> Top(ManagedStreamState state, int k)
    {
        var scores = new float[Items];
        Scores(state, scores);
        return TopOf(scores, k);
    }

    /// <summary>The best <paramref name="k"/> of a score row, skipping id 0 (see <see cref="Top"/>).</summary>
    [MethodImpl(Hot)]
    public static IReadOnlyList<(long Item, float Score)> TopOf(ReadOnlySpan<float> scores, int k)
    {
        k = Math.Max(0, Math.Min(k, scores.Length - 1));
        var best = new List<(long Item, float Score)>(k + 1);
        static bool Above(float a, float b) => float.IsNaN(a) ? !float.IsNaN(b) : a > b;
        for (int item = 1; item < scores.Length && k > 0; item++)
        {
            var score = scores[item];
            if (best.Count == k && !Above(score, best[^1].Score)) continue;
            var at = best.Count;
            while (at > 0 && Above(score, best[at - 1].Score)) at--;
            best.Insert(at, (item, score));
            if (best.Count > k) best.RemoveAt(k);
        }
        return best;
    }

    /// <summary>The arrays of a one-user torch state (any device or dtype).</summary>
    public ManagedStreamState Import(RecGrelaStreamState state)
    {
        using var scope = torch.NewDisposeScope();
        if (state.Positions.numel() != 1)
            throw new ArgumentException($"expected the state of one user, got {state.Positions.numel()}", nameof(state));
        return ManagedStreamState.FromParts(state.Positions.cpu().data<long>()[0], [.. state.Parts().Select(ManagedWeights.Floats)]);
    }

    /// <summary>The torch state (float32, one user) of <paramref name="state"/>, for the torch path and tests.</summary>
    public RecGrelaStreamState Export(ManagedStreamState state, Device? device = null)
    {
        int d = HeadDim;
        Tensor Of(float[] values, long[] shape) => torch.tensor(values, shape, ScalarType.Float32, device);
        var blocks = state.Blocks.Select(b => new BlockStreamState(
            Of(b.S, [1, Heads, d, d]), Of(b.Z, [1, Heads, d]), Of(b.ConvTail, [1, RelaAttention.ConvKernel - 1, Dim]))).ToList();
        return new RecGrelaStreamState(torch.tensor(new[] { state.Position }, [1], ScalarType.Int64, device), blocks, Of(state.Hidden, [1, Dim]));
    }
}
