using System.Globalization;
using System.Text.Json;
using Grela.Tests.Training;

namespace Grela.Tests.Cli;

/// <summary>The baselines through the command line: train, then export -> import -> identical recommendations.</summary>
[Collection(TorchSerial.Name)]
public sealed class BaselineCliTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("grela-baselines-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("gru4rec")]
    [InlineData("sasrec")]
    [InlineData("linrec")]
    [InlineData("mamba4rec")]
    public void A_baseline_trains_and_survives_an_export_import_round_trip(string model)
    {
        var run = Path.Combine(_root, model);
        var trained = CliHarness.Run(CliHarness.Train(run, "--model", model, "--epochs", "1", "--json"));
        Assert.True(trained.ExitCode == 0, trained.ToString());
        using (var metrics = JsonDocument.Parse(trained.Out))
        {
            Assert.Equal(model, metrics.RootElement.GetProperty("model").GetString());
            Assert.True(metrics.RootElement.GetProperty("test").GetProperty("HR@20").GetDouble() > 0);
        }

        var pt = Path.Combine(_root, model + ".pt");
        Assert.Equal(0, CliHarness.Run("export", "--run", run, "--format", "pt", "--out", pt).ExitCode);
        var imported = Path.Combine(_root, model + "-imported");
        var import = CliHarness.Run(["import", "--weights", pt, "--model", model, .. CliHarness.TinyTraining, "--out", imported]);
        Assert.True(import.ExitCode == 0, import.ToString());

        var tokens = Grela.Runs.CheckpointFile.Read(Path.Combine(run, "best.ckpt")).Header.ItemTokens;
        var history = string.Join(' ', tokens.Skip(1).Take(5));
        Assert.Equal(Recommend(run, history), Recommend(imported, history));
    }

    private static string Recommend(string folder, string history)
    {
        var result = CliHarness.Run("recommend", "--run", folder, "--history", history, "--top", "5", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Out;
    }
}
