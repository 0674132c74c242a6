using Grela.Models;
using Grela.Runs;
using static TorchSharp.torch;

namespace Grela.Cli.Runs;

/// <summary>What a weight file says about the model it holds.</summary>
/// <param name="ItemCount">Item ids including padding.</param>
/// <param name="Config">Config keys read from the file (shapes, metadata): defaults under --config and the command line.</param>
internal sealed record WeightsInfo(int ItemCount, ConfigSource Config)
{
    /// <summary>Keys the file does not record whose value in <see cref="Config"/> is an assumption, with why.</summary>
    public IReadOnlyDictionary<string, string> Assumed { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// One entry of the <see cref="ModelRegistry"/>: everything grela knows about one model. Its
/// defaults, how a resolved config becomes the model, how it trains, and how its weights move in and out.
/// </summary>
internal interface IModelFactory
{
    /// <summary>The config value that selects this model (<c>--model</c>).</summary>
    string Name { get; }
    /// <summary>
    /// The model's defaults on real data under <paramref name="attention"/>: what a config that names
    /// this model starts from before the synthetic budget, the config file and the command line.
    /// </summary>
    TrainingConfig Defaults(Models.RecGrela.AttentionMode attention);
    /// <summary>Whether training keeps softmax attention maps [rows, H, L, L] (the memory estimate's quadratic part).</summary>
    bool SoftmaxAttention { get; }
    ISequentialModel Create(TrainingConfig config, int itemCount, Device device);
    /// <summary>
    /// The training-style policy: the config's `samples` under its attention mode (auto: one sample per
    /// prefix in global mode, the official regime, every position in one pass otherwise); the same
    /// for every model today. `train` and the bench ask it; a model's
    /// <see cref="ISequentialModel.TrainingStyles"/> only says which styles its loss accepts (a test
    /// holds this choice among them for every entry, mode and sample choice that resolution admits).
    /// </summary>
    TrainingStyle StyleFor(TrainingConfig config) => config.Style;
    /// <summary>Reads the item count and architecture from a weight file without building a model.</summary>
    WeightsInfo Inspect(string path, WeightFormat format);
    /// <summary>Writes the weights under the reference implementation's names (atomically).</summary>
    void Export(ISequentialModel model, WeightFormat format, string path);
    /// <summary>Loads reference weights; every missing, unexpected or misshaped tensor is a user error.</summary>
    void Import(ISequentialModel model, WeightFormat format, string path);
}
