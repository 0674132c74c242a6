using Grela.Models;
using Grela.Models.RecGrela;

namespace Grela.Data.Batching;

/// <summary>
/// Which samples a run trains on (config key `samples`): the attention mode's own choice, every
/// position of a window in one pass, or one sample per history prefix (RecBole's regime).
/// </summary>
public enum TrainingSamples
{
    /// <summary>Prefixes in global mode (the only style its loss takes), positions otherwise.</summary>
    Auto,
    /// <summary>Every position of a window is a target, in one pass (causal models only).</summary>
    Positions,
    /// <summary>One sample per training prefix, its target the next item: the official regime's cost class in either mode.</summary>
    Prefixes,
}

/// <summary>
/// <see cref="TrainingSamples"/> as config files, config.json and the command line spell it, and the
/// training style each choice means under an attention mode.
/// </summary>
public static class TrainingSampleNames
{
    private static readonly Text.Spellings<TrainingSamples> Spelt = new("samples",
        ("auto", TrainingSamples.Auto), ("positions", TrainingSamples.Positions), ("prefixes", TrainingSamples.Prefixes));

    /// <summary>The spellings: auto (the default), positions, prefixes.</summary>
    public static IReadOnlyList<string> Names => Spelt.Names;

    public static TrainingSamples Parse(string name) => Spelt.Parse(name);

    /// <summary>
    /// The style a choice trains with. Global attention reads the whole window at every position, so
    /// only prefixes train it; resolution rejects positions there before this is asked.
    /// </summary>
    public static TrainingStyle StyleOf(TrainingSamples samples, AttentionMode attention) => samples switch
    {
        TrainingSamples.Prefixes => TrainingStyle.Prefix,
        TrainingSamples.Positions => TrainingStyle.AllPositions,
        _ => attention == AttentionMode.Global ? TrainingStyle.Prefix : TrainingStyle.AllPositions,
    };
}
