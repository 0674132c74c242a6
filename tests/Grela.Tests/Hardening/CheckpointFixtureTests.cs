using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grela.Runs;
using Grela.Tests.Cli;
using Grela.Tests.Training;
using TorchSharp;

namespace Grela.Tests.Hardening;

/// <summary>
/// Issue 10: a checkpoint written by an older grela keeps loading (the fixture was written before
/// fingerprint format 2), the fingerprint ignores code order, and a forged header is a clean exit 2
/// before any model is built.
/// </summary>
[Collection(TorchSerial.Name)]
public sealed class CheckpointFixtureTests : IDisposable
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "checkpoints", "recgrela-2026-12");
    private readonly string _root = Directory.CreateTempSubdirectory("grela-fixture-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_checkpoint_written_before_fingerprint_format_2_loads_and_recommends_as_it_did()
    {
        var result = CliHarness.Run("recommend", "--run", Fixture, "--history", "1 2 3 4 5", "--top", "5", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixture, "recommend-1-2-3-4-5.json")));
        using var actual = JsonDocument.Parse(result.Out);
        Assert.Equal(expected.RootElement.GetProperty("items").ToString(), actual.RootElement.GetProperty("items").ToString());
        var want = expected.RootElement.GetProperty("scores").EnumerateArray().Select(s => s.GetDouble()).ToList();
        var got = actual.RootElement.GetProperty("scores").EnumerateArray().Select(s => s.GetDouble()).ToList();
        Assert.Equal(want.Count, got.Count);
        for (var i = 0; i < want.Count; i++)
            Assert.Equal(want[i], got[i], 5);
    }

    [Fact]
    public void The_fingerprint_ignores_registration_order_and_sees_names_shapes_and_dtypes()
    {
        static TorchSharp.Modules.Parameter P(params long[] shape) => new(torch.zeros(shape));
        using var forward = torch.nn.ParameterDict(("a", P(3, 4)), ("b", P(5)));
        using var backward = torch.nn.ParameterDict(("b", P(5)), ("a", P(3, 4)));
        using var reshaped = torch.nn.ParameterDict(("a", P(4, 3)), ("b", P(5)));
        var config = new TrainingConfig();
        var hyper = ModelFingerprint.Hyperparameters(config, 10);
        Assert.Equal(ModelFingerprint.Of(hyper, forward), ModelFingerprint.Of(hyper, backward));
        Assert.NotEqual(ModelFingerprint.Of(hyper, forward), ModelFingerprint.Of(hyper, reshaped));
        Assert.NotEqual(ModelFingerprint.Of(hyper, forward), ModelFingerprint.Of(ModelFingerprint.Hyperparameters(config with { Dim = 32 }, 10), forward));
        // Dropout and the other training-only keys are no part of the architecture.
        Assert.Equal(hyper, ModelFingerprint.Hyperparameters(config with { Dropout = 0.3, Lr = 0.5, Seed = 9 }, 10));
        Assert.True(ModelFingerprint.IsWellFormed(ModelFingerprint.Of(hyper, forward)));
    }

    /// <summary>The fixture's best.ckpt with its header edited, sections kept, and a valid checksum.</summary>
    private string Forge(Action<JsonObject> edit)
    {
        var content = ForgedCheckpoint.WithHeader(File.ReadAllBytes(Path.Combine(Fixture, "best.ckpt")), bytes =>
        {
            var header = JsonNode.Parse(bytes)!.AsObject();
            edit(header);
            return System.Text.Encoding.UTF8.GetBytes(header.ToJsonString());
        });
        var folder = Path.Combine(_root, $"forged-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "best.ckpt"), content);
        return folder;
    }

    public static TheoryData<string, string> ForgedHeaders => new()
    {
        { "items", "the header describes a model of at least" },
        { "dim", "the header describes a model of at least" },
        { "epoch-huge", "\"epoch\": expected an integer" },
        { "epoch-negative", "\"epoch\": expected an integer of at least 0" },
        { "epoch-text", "\"epoch\": expected a number, got string" },
        { "hash-short", "\"model_hash\": expected 64 hex digits" },
        { "tokens", "item tokens for" },
        { "history-type", "unreadable checkpoint header" },
    };

    [Theory]
    [MemberData(nameof(ForgedHeaders))]
    public void A_forged_header_is_a_clean_exit_2_before_any_model_is_built(string forgery, string message)
    {
        var folder = Forge(h =>
        {
            switch (forgery)
            {
                case "items": h["dataset"]!["items"] = 2_000_000_000; h["item_tokens"] = new JsonArray(); break;
                case "dim": h["config"]!["dim"] = 65_536; h["config"]!["heads"] = 2; break;
                case "epoch-huge": h["epoch"] = JsonValue.Create(1e30); break;
                case "epoch-negative": h["epoch"] = -3; break;
                case "epoch-text": h["epoch"] = "3"; break;
                case "hash-short": h["model_hash"] = "abc"; break;
                case "tokens": h["item_tokens"] = new JsonArray("[PAD]", "1"); break;
                case "history-type": h["history"] = new JsonArray(JsonValue.Create(5)); break;
            }
        });
        var result = CliHarness.Run("recommend", "--run", folder, "--history", "1 2", "--json");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(Path.Combine(folder, "best.ckpt"), result.Err);
        Assert.Contains(message, result.Err);
        Assert.DoesNotContain("Exception", result.Err);
        Assert.DoesNotContain("   at ", result.Err);
    }
}
