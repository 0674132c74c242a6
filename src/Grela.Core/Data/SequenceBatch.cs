namespace Grela.Data;

/// <summary>
/// One mini-batch as flat, reusable arrays; the training shell turns it into tensors. Rows are
/// windows of <see cref="Width"/> item ids (0 = padding, on the side the model asks for).
/// <see cref="Targets"/> holds one next item per row (prefix style, length Rows) or one per
/// position (all-positions style, length Rows*Width, 0 where there is no target).
/// </summary>
public sealed class SequenceBatch(int capacityRows, int width, bool targetPerPosition)
{
    public int Rows { get; set; }
    public int Width { get; } = width;
    public bool TargetPerPosition { get; } = targetPerPosition;
    /// <summary>[capacityRows * Width] item ids, row-major; only the first Rows*Width are valid.</summary>
    public long[] Items { get; } = new long[capacityRows * width];
    /// <summary>[capacityRows] number of real items per row.</summary>
    public long[] Lengths { get; } = new long[capacityRows];
    /// <summary>[capacityRows] or [capacityRows * Width] targets.</summary>
    public long[] Targets { get; } = new long[targetPerPosition ? capacityRows * width : capacityRows];
    /// <summary>[capacityRows] dense user index of each row (for evaluation and history masking).</summary>
    public int[] Users { get; } = new int[capacityRows];

    /// <summary>
    /// The columns a right-padded batch uses: its longest row (at least 1, at most Width). A causal
    /// model computes the same at every real position when the columns after it are dropped.
    /// </summary>
    public int UsedWidth()
    {
        long longest = 1;
        foreach (var length in Lengths.AsSpan(0, Rows))
            longest = Math.Max(longest, length);
        return (int)Math.Min(longest, Width);
    }
}
