using System.Text.Json;
using Grela.Runs;
using Grela.Tests.Training;

namespace Grela.Tests.Cli;

/// <summary>One tiny RecGRELA run trained through the CLI, shared by the tests that read a run folder.</summary>
public sealed class TrainedRunFixture : IDisposable
{
    public const int Epochs = 3;

    public TrainedRunFixture()
    {
        Root = Directory.CreateTempSubdirectory("grela-cli-").FullName;
        Folder = new RunFolder(Path.Combine(Root, "run"));
        Result = CliHarness.Run(CliHarness.Train(Folder.Root, "--epochs", Epochs.ToString(), "--json"));
    }

    public string Root { get; }
    public RunFolder Folder { get; }
    public CliResult Result { get; }

    public JsonElement Metrics()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Folder.Metrics));
        return document.RootElement.Clone();
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TrainedRunCollection : ICollectionFixture<TrainedRunFixture>
{
    public const string Name = TorchSerial.Name + " (trained run)";
}
