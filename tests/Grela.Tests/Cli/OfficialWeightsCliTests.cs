using System.Text.Json;
using Grela.IO;
using Grela.Tests.Training;
using TorchSharp;

namespace Grela.Tests.Cli;

/// <summary>
/// Weights written by the official PyTorch RecGRELA (the model helper's parity fixture) go through
/// `grela import`, answer `grela recommend` with the official scores, and come back out of
/// `grela export` unchanged.
/// </summary>
[Collection(TorchSerial.Name)]
public sealed class OfficialWeightsCliTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("grela-official-").FullName;
    private readonly string _fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "parity", "recgrela-small.safetensors");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Official_weights_import_recommend_with_official_scores_and_export_unchanged()
    {
        using var fixture = Safetensors.Read(_fixture);
        var official = fixture.Tensors.Where(t => !t.Key.StartsWith("input.") && !t.Key.StartsWith("output.")).ToDictionary();
        var weights = Path.Combine(_root, "official.safetensors");
        // Only what the official model's state_dict and its config give: no grela metadata except num_heads.
        Safetensors.Write(weights, official, new Dictionary<string, string> { ["num_heads"] = fixture.Metadata["num_heads"] });

        var run = Path.Combine(_root, "run");
        var imported = CliHarness.Run("import", "--weights", weights, "--out", run);
        Assert.True(imported.ExitCode == 0, imported.ToString());
        Assert.Contains("global attention", imported.Out);

        // Row 1 of the fixture: 7 real items, right-padded.
        var items = fixture.Tensors["input.item_seq"][1].data<long>().ToArray();
        var length = (int)fixture.Tensors["input.item_seq_len"][1].item<long>();
        var history = string.Join(' ', items.Take(length));
        var result = CliHarness.Run("recommend", "--run", run, "--history", history, "--top", "5", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var answer = JsonDocument.Parse(result.Out);
        var ids = answer.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetInt64()).ToArray();
        var scores = answer.RootElement.GetProperty("scores").EnumerateArray().Select(s => s.GetDouble()).ToArray();

        var expected = fixture.Tensors["output.scores"][1].to(torch.ScalarType.Float64).data<double>().ToArray();
        var expectedTop = Enumerable.Range(1, expected.Length - 1).OrderByDescending(i => expected[i]).Take(5).ToArray();
        Assert.Equal(expectedTop.Select(i => (long)i), ids);
        for (var k = 0; k < 5; k++)
            Assert.True(Math.Abs(scores[k] - expected[ids[k]]) <= 1e-4 * Math.Max(1, Math.Abs(expected[ids[k]])),
                $"item {ids[k]}: grela {scores[k]}, official {expected[ids[k]]}");

        var exported = Path.Combine(_root, "exported.safetensors");
        Assert.Equal(0, CliHarness.Run("export", "--run", run, "--format", "safetensors", "--out", exported).ExitCode);
        using var back = Safetensors.Read(exported);
        Assert.Equal(official.Keys.Order(StringComparer.Ordinal), back.Tensors.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, tensor) in official)
            Assert.True(tensor.equal(back.Tensors[name]).all().item<bool>(), $"{name} changed on the way through grela");
    }

    [Fact]
    public void Weights_of_another_shape_are_refused_with_the_tensors_named()
    {
        using var fixture = Safetensors.Read(_fixture);
        var weights = fixture.Tensors.Where(t => !t.Key.StartsWith("input.") && !t.Key.StartsWith("output.") && t.Key != "GRELA_block.1.mlp.fc2.bias").ToDictionary();
        var path = Path.Combine(_root, "partial.safetensors");
        Safetensors.Write(path, weights, new Dictionary<string, string> { ["num_heads"] = "2" });
        var result = CliHarness.Run("import", "--weights", path, "--out", Path.Combine(_root, "partial"));
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("GRELA_block.1.mlp.fc2.bias", result.Err);
        Assert.False(Directory.Exists(Path.Combine(_root, "partial", "best.ckpt")));
    }
}
