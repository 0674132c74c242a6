using Grela.Cli.Runs;
using Grela.Models;
using Grela.Training;
using static TorchSharp.torch;

namespace Grela.Cli.Bench;

/// <summary>Builds benchmark models through the same catalogue and defaults as `grela train`.</summary>
internal static class BenchModels
{
    public static void EnsureKnown(string name) => ModelCatalogue.Get(name);

    public static Device ResolveDevice(string requested) => DeviceSelection.Select(requested).Device;

    public static ISequentialModel Build(BenchModelRequest request)
    {
        var factory = ModelCatalogue.Get(request.Model);
        var config = new TrainingConfig { Model = request.Model, Attention = request.Attention, Dim = request.Dim, MaxLen = request.Length };
        return factory.Create(config, request.Items, request.Device);
    }
}
