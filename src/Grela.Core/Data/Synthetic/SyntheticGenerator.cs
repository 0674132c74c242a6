using System.Globalization;

namespace Grela.Data.Synthetic;

/// <summary>
/// Generates user sequences with planted structure that a sequence model can learn and popularity
/// cannot: items fall into groups (topics) whose popularity follows a Zipf law; each group orders
/// its items into a chain, and inside a group a user mostly steps to the next item of the chain
/// (sequential transitions); each user has a long-term preference for 1-3 groups and moves between
/// them now and then; short bursts of 2-4 items from some other group interrupt the long-term
/// interest and are followed by a return to where the user left off. Deterministic by seed.
/// </summary>
public static class SyntheticGenerator
{
    private const double BurstProbability = 0.08;
    private const double SwitchProbability = 0.08;
    private const double NextInChain = 0.75;
    private const double SkipOneInChain = 0.15;

    /// <summary>The dataset for <paramref name="spec"/> (no filtering applied).</summary>
    public static SequenceDataset Generate(SyntheticSpec spec)
    {
        var random = new SplitMix64(spec.Seed);
        var groups = AssignGroups(spec, ref random);
        var groupWeights = Zipf(spec.Groups, 1.0);
        var sequences = new int[spec.Users][];
        for (var u = 0; u < spec.Users; u++)
            sequences[u] = GenerateUser(spec, groups, groupWeights, ref random);
        var itemTokens = Enumerable.Range(1, spec.Items).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        return SequenceDataset.FromSequences(spec.ToString(), sequences, spec.Items, itemTokens: itemTokens);
    }

    /// <summary>Each group's chain of item ids: items are dealt to groups in a random order.</summary>
    private static int[][] AssignGroups(SyntheticSpec spec, ref SplitMix64 random)
    {
        var ids = Enumerable.Range(1, spec.Items).ToArray();
        for (var i = ids.Length - 1; i > 0; i--)
        {
            var j = random.NextInt(i + 1);
            (ids[i], ids[j]) = (ids[j], ids[i]);
        }
        return Enumerable.Range(0, spec.Groups).Select(g => ids.Where((_, k) => k % spec.Groups == g).ToArray()).ToArray();
    }

    private static int[] GenerateUser(SyntheticSpec spec, int[][] groups, double[] groupWeights, ref SplitMix64 random)
    {
        var length = spec.MinLength + random.NextInt(spec.MaxLength - spec.MinLength + 1);
        var preferred = new int[1 + random.NextInt(3)];
        for (var k = 0; k < preferred.Length; k++)
            preferred[k] = Draw(groupWeights, ref random);
        // Where the user is in each group's chain; -1 until the user first enters the group.
        var position = new int[groups.Length];
        Array.Fill(position, -1);
        var sequence = new int[length];
        var current = preferred[0];
        var burstLeft = 0;
        var home = current;
        for (var t = 0; t < length; t++)
        {
            if (burstLeft == 0 && t > 0 && random.NextDouble() < BurstProbability)
            {
                home = current;
                current = random.NextInt(groups.Length);
                burstLeft = 2 + random.NextInt(3);
            }
            else if (burstLeft == 0 && random.NextDouble() < SwitchProbability)
            {
                current = preferred[random.NextInt(preferred.Length)];
            }
            sequence[t] = Step(groups[current], ref position[current], ref random);
            if (burstLeft > 0 && --burstLeft == 0)
                current = home;
        }
        return sequence;
    }

    private static int Step(int[] chain, ref int position, ref SplitMix64 random)
    {
        var u = random.NextDouble();
        position = position < 0 ? random.NextInt(chain.Length)
            : u < NextInChain ? (position + 1) % chain.Length
            : u < NextInChain + SkipOneInChain ? (position + 2) % chain.Length
            : random.NextInt(chain.Length);
        return chain[position];
    }

    private static double[] Zipf(int count, double exponent)
    {
        var weights = Enumerable.Range(1, count).Select(r => 1.0 / Math.Pow(r, exponent)).ToArray();
        var total = weights.Sum();
        return weights.Select(w => w / total).ToArray();
    }

    private static int Draw(double[] weights, ref SplitMix64 random)
    {
        var u = random.NextDouble();
        for (var i = 0; i < weights.Length - 1; i++)
        {
            u -= weights[i];
            if (u < 0) return i;
        }
        return weights.Length - 1;
    }
}
