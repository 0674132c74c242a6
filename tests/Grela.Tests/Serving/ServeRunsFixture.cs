using Grela.Tests.Cli;
using Grela.Tests.Training;

namespace Grela.Tests.Serving;

/// <summary>
/// Two tiny runs trained once for all serving tests (about a second each): causal RecGRELA, served
/// with streaming state, and SASRec, served by re-reading the history window.
/// </summary>
public sealed class ServeRunsFixture : IDisposable
{
    public ServeRunsFixture()
    {
        Root = Directory.CreateTempSubdirectory("grela-serve-").FullName;
        Causal = Train("recgrela", "--epochs", "2");
        Window = Train("sasrec", "--model", "sasrec", "--epochs", "1");
    }

    public string Root { get; }

    /// <summary>Causal RecGRELA: streaming state.</summary>
    public string Causal { get; }

    /// <summary>SASRec: window state.</summary>
    public string Window { get; }

    /// <summary>A state file path no test has used.</summary>
    public string NewStateFile() => Path.Combine(Root, $"state-{Guid.NewGuid():N}.db");

    private string Train(string name, params string[] extra)
    {
        var dir = Path.Combine(Root, name);
        var result = CliHarness.Run(CliHarness.Train(dir, [.. extra, "--json"]));
        Assert.True(result.ExitCode == 0, result.ToString());
        return dir;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServeCollection : ICollectionFixture<ServeRunsFixture>
{
    public const string Name = TorchSerial.Name + " (serve)";
}
