using Grela.Cli.Runs;
using Grela.Host;
using Grela.Models;
using Grela.Runs;
using static TorchSharp.torch;

namespace Grela.Cli.Bench;

/// <summary>
/// Builds benchmark models through the same catalogue and defaults as `grela train` on a real
/// dataset, so a benchmarked SASRec is the SASRec users train. The window length, the attention mode
/// and the width (when asked) are the bench's; so is the batch size, which the bench passes to the
/// step it times rather than taking the config's.
/// </summary>
internal static class BenchModels
{
    public static void EnsureKnown(string name) => ModelRegistry.Get(name);

    public static Device ResolveDevice(string requested) => DeviceSelection.Select(requested).Device;

    /// <summary>The configuration `grela train` resolves for this model on real data, at the bench's length and width.</summary>
    public static TrainingConfig Config(string model, string attention, int length, int? dim = null)
    {
        var config = RunDefaults.For(model, Models.RecGrela.AttentionModes.Parse(attention), synthetic: false) with { Attention = attention, MaxLen = length };
        return dim is { } d ? config with { Dim = d } : config;
    }

    /// <summary>The width a bench case uses when none is asked for: the model's own default.</summary>
    public static int DefaultDim(string model, string attention) => Config(model, attention, length: 1).Dim;

    /// <summary>The model `grela train` builds for this case, and the style it trains with there (the entry's <see cref="IModelFactory.StyleFor"/>).</summary>
    public static (ISequentialModel Model, TrainingStyle Style) Build(BenchModelRequest request)
    {
        var entry = ModelRegistry.Get(request.Model);
        var config = Config(request.Model, request.Attention, request.Length, request.Dim);
        return (entry.Create(config, request.Items, request.Device), entry.StyleFor(config));
    }
}
