namespace Grela.Data;

/// <summary>
/// A tiny seeded generator (SplitMix64) whose streams are fixed by definition, so data order and
/// synthetic datasets never change with the .NET version (System.Random gives no such promise).
/// </summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    /// <summary>A seed derived from several values (e.g. run seed and epoch) that differ in any part.</summary>
    public static ulong Mix(ulong a, ulong b)
    {
        var g = new SplitMix64(a ^ (0x9E3779B97F4A7C15UL * (b + 1)));
        g.NextULong();
        return g.NextULong();
    }

    public ulong NextULong()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, bound), without modulo bias.</summary>
    public int NextInt(int bound)
    {
        if (bound <= 0) throw new ArgumentOutOfRangeException(nameof(bound));
        var limit = ulong.MaxValue - ulong.MaxValue % (ulong)bound;
        ulong x;
        do x = NextULong(); while (x >= limit);
        return (int)(x % (ulong)bound);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));
}
