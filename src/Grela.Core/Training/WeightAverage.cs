using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Training;

/// <summary>
/// An exponential moving average of a module's parameters, kept beside the training weights and
/// updated after every applied optimizer step. Validation, the best checkpoint's evaluation and
/// inference can use the average; training itself always steps the live weights, so turning the
/// average on does not change the training trajectory (the same seed trains the same weights).
/// Buffers (rotary tables and the like) are constants and are not averaged.
/// </summary>
public sealed class WeightAverage : IDisposable
{
    private readonly Tensor[] _live;
    private readonly Tensor[] _average;

    /// <summary>Starts the average at the module's current parameters.</summary>
    public WeightAverage(nn.Module module, double decay)
    {
        if (!(decay > 0 && decay < 1))
            throw new ArgumentOutOfRangeException(nameof(decay), decay, "the decay of a weight average lies in (0, 1)");
        Decay = decay;
        _live = module.parameters().ToArray();
        using var _ = no_grad();
        _average = _live.Select(p => p.detach().clone().DetachFromDisposeScope()).ToArray();
    }

    /// <summary>The long-run decay: each update keeps this share of the average.</summary>
    public double Decay { get; }

    /// <summary>
    /// The share of the average kept at the update after <paramref name="updates"/> earlier ones: the
    /// usual warm-up min(decay, (1 + n) / (10 + n)), so the first steps' nearly random weights fade
    /// within tens of steps instead of weighing on the average for thousands. The warm-up binds until
    /// (1 + n) / (10 + n) reaches the decay, after (10 decay - 1) / (1 - decay) updates (8,990 for
    /// 0.999): a shorter plan averages over about its last (10 + n) / 9 steps, whatever the decay
    /// above that share.
    /// </summary>
    public static double DecayAt(double decay, long updates) => Math.Min(decay, (1.0 + updates) / (10.0 + updates));

    /// <summary>Moves the average towards the live weights after the step numbered <paramref name="step"/> (0-based).</summary>
    public void Update(long step)
    {
        var keep = DecayAt(Decay, step);
        using var _ = no_grad();
        for (var i = 0; i < _live.Length; i++)
            _average[i].mul_(keep).add_(_live[i], alpha: 1 - keep);
    }

    /// <summary>Restarts the average at the live weights (a resumed run whose checkpoint holds none).</summary>
    public void Reset()
    {
        using var _ = no_grad();
        for (var i = 0; i < _live.Length; i++)
            _average[i].copy_(_live[i]);
    }

    /// <summary>
    /// Puts the average into the module's parameters (the live weights wait in its place) until the
    /// returned scope ends, which swaps them back. Exchanging rather than copying keeps both sets
    /// exact: nothing is recomputed on the way back.
    /// </summary>
    public IDisposable SwappedIn()
    {
        Exchange();
        return new SwapBack(this);
    }

    private void Exchange()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        for (var i = 0; i < _live.Length; i++)
        {
            var held = _live[i].clone();
            _live[i].copy_(_average[i]);
            _average[i].copy_(held);
        }
    }

    public void Dispose()
    {
        foreach (var t in _average)
            t.Dispose();
    }

    private sealed class SwapBack(WeightAverage owner) : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (_done) return;
            _done = true;
            owner.Exchange();
        }
    }
}
