using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Models;

/// <summary>Reading one position per row (every model reads its last real position the same way).</summary>
public static class Readout
{
    /// <summary>x [B, L, D], positions [B] (int64) -> [B, 1, D], row b taken at positions[b].</summary>
    public static Tensor At(Tensor x, Tensor positions) =>
        x.gather(1, positions.view(-1, 1, 1).expand(-1, 1, x.shape[2]));

    /// <summary>Last real position of right-padded rows: lengths - 1 (an empty row reads position 0).</summary>
    public static Tensor LastPositions(Tensor lengths) => (lengths - 1).clamp_min(0);
}
