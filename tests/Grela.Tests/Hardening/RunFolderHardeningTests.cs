using System.Text.Json;
using Grela.Tests.Cli;
using Grela.Training;
using TorchSharp;

namespace Grela.Tests.Hardening;

/// <summary>Issue 10: run folders that were tampered with never crash a command or corrupt a run.</summary>
[Collection(TrainedRunCollection.Name)]
public sealed class RunFolderHardeningTests(TrainedRunFixture run)
{
    [Fact]
    public void Recommend_json_survives_non_finite_scores()
    {
        var folder = ForgedRun.Copy(run.Folder, run.Root);
        ForgedRun.EditWeights(folder.Best, module =>
        {
            using (torch.no_grad())
                foreach (var p in module.parameters())
                    p.fill_(double.NaN);
        });
        var tokens = CheckpointFile.Read(folder.Best).Header.ItemTokens;
        var result = CliHarness.Run("recommend", "--run", folder.Root, "--history", string.Join(' ', tokens.Skip(1).Take(4)), "--top", "3", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var answer = JsonDocument.Parse(result.Out);
        Assert.All(answer.RootElement.GetProperty("scores").EnumerateArray(), s => Assert.Equal(JsonValueKind.Null, s.ValueKind));
        Assert.Contains("NaN or infinite", result.Err);
    }
}
