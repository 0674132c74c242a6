using static TorchSharp.torch;

namespace Grela.Training;

/// <summary>
/// Decoupled weight decay (Loshchilov and Hutter's AdamW form) on top of plain Adam: before each step
/// the decayed parameters are scaled by 1 - lr x rate, outside Adam's moment estimates, so the pull
/// towards zero does not shrink with a parameter's gradient variance as an L2 term in the loss would.
/// Only weight matrices and embedding tables decay; biases and LayerNorm gains and shifts (vectors)
/// keep their scale, as is usual for transformers. Adam's own state is untouched, so checkpoints and
/// resumption are the same with or without it.
/// </summary>
public static class WeightDecay
{
    /// <summary>The parameters that decay: every one with two or more dimensions.</summary>
    public static IReadOnlyList<Tensor> Decayed(IEnumerable<Tensor> parameters) =>
        parameters.Where(p => p.dim() >= 2).ToArray();

    /// <summary>Scales <paramref name="decayed"/> in place by 1 - <paramref name="lr"/> x <paramref name="rate"/> (nothing when the rate is 0).</summary>
    public static void Apply(IReadOnlyList<Tensor> decayed, double lr, double rate)
    {
        if (rate <= 0) return;
        using var _ = no_grad();
        var factor = 1 - lr * rate;
        foreach (var p in decayed)
            p.mul_(factor);
    }
}
