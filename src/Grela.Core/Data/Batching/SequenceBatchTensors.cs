using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Data.Batching;

/// <summary>Copies the valid part of a <see cref="SequenceBatch"/> into int64 tensors.</summary>
public static class SequenceBatchTensors
{
    /// <summary>[Rows, Width] item ids.</summary>
    public static Tensor ItemsTensor(this SequenceBatch batch, Device? device = null) =>
        torch.tensor(batch.Items.AsSpan(0, batch.Rows * batch.Width).ToArray(), [batch.Rows, batch.Width], ScalarType.Int64, device);

    /// <summary>[Rows] number of real items per row.</summary>
    public static Tensor LengthsTensor(this SequenceBatch batch, Device? device = null) =>
        torch.tensor(batch.Lengths.AsSpan(0, batch.Rows).ToArray(), [batch.Rows], ScalarType.Int64, device);

    /// <summary>[Rows] next items, or [Rows, Width] per-position targets (0 = none).</summary>
    public static Tensor TargetsTensor(this SequenceBatch batch, Device? device = null) =>
        batch.TargetPerPosition
            ? torch.tensor(batch.Targets.AsSpan(0, batch.Rows * batch.Width).ToArray(), [batch.Rows, batch.Width], ScalarType.Int64, device)
            : torch.tensor(batch.Targets.AsSpan(0, batch.Rows).ToArray(), [batch.Rows], ScalarType.Int64, device);
}
