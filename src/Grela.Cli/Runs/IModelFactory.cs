using Grela.Models;
using Grela.Training;
using static TorchSharp.torch;

namespace Grela.Cli.Runs;

/// <summary>Builds one kind of model from a resolved config (the model catalogue's entries).</summary>
internal interface IModelFactory
{
    string Name { get; }
    /// <summary>The model's spec record as text: part of the model fingerprint.</summary>
    string Describe(TrainingConfig config, int itemCount);
    ISequentialModel Create(TrainingConfig config, int itemCount, Device device);
    /// <summary>State-dict name of the item embedding [N, D]: its first dimension is the item count.</summary>
    string ItemEmbeddingKey { get; }
    /// <summary>How the config's attention mode trains this model.</summary>
    TrainingStyle StyleFor(TrainingConfig config);
}
