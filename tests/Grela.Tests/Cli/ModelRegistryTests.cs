using Grela.Cli.Runs;
using Grela.Data.Batching;
using Grela.Models;
using Grela.Models.RecGrela;
using Grela.Runs;
using TorchSharp;

namespace Grela.Tests.Cli;

/// <summary>The model registry: one entry per model, in the order users see, each one complete.</summary>
public sealed class ModelRegistryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("grela-registry-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Help_errors_and_the_registry_list_the_models_in_one_order()
    {
        string[] seen = ["recgrela", "sasrec", "gru4rec", "linrec", "mamba4rec"];
        Assert.Equal(seen, ConfigCatalogue.Models);
        Assert.Equal(seen, ModelRegistry.Names);
        Assert.Equal(seen, ConfigCatalogue.Find("model")!.Choices);
        Assert.Equal("--model bert4rec: unknown model (expected one of recgrela|sasrec|gru4rec|linrec|mamba4rec)",
            Assert.Throws<Errors.UserInputException>(() => ModelRegistry.Get("bert4rec")).Message);
    }

    [Fact]
    public void Only_sasrec_keeps_softmax_attention_maps_for_the_memory_estimate() =>
        Assert.Equal(["sasrec"], ModelRegistry.Entries.Where(e => e.SoftmaxAttention).Select(e => e.Name));

    /// <summary>Every entry with every one of <paramref name="values"/>.</summary>
    private static TheoryData<string, T> PerEntry<T>(IEnumerable<T> values)
    {
        var cases = new TheoryData<string, T>();
        foreach (var name in ModelRegistry.Names)
            foreach (var value in values)
                cases.Add(name, value);
        return cases;
    }

    public static TheoryData<string, AttentionMode, TrainingSamples> ModesAndSamples()
    {
        var cases = new TheoryData<string, AttentionMode, TrainingSamples>();
        foreach (var name in ModelRegistry.Names)
            foreach (var mode in Enum.GetValues<AttentionMode>())
                foreach (var samples in Enum.GetValues<TrainingSamples>())
                    cases.Add(name, mode, samples);
        return cases;
    }

    /// <summary>
    /// The entry's style policy (the one train and the bench use) is a style the model's loss accepts,
    /// for every mode and sample choice that resolution admits; the one it refuses (positions under
    /// global attention) is refused by name.
    /// </summary>
    [Theory]
    [MemberData(nameof(ModesAndSamples))]
    public void Each_entry_chooses_a_training_style_its_model_accepts(string name, AttentionMode mode, TrainingSamples samples)
    {
        var entry = ModelRegistry.Get(name);
        var config = entry.Defaults(mode) with
        {
            Attention = mode.ToString().ToLowerInvariant(), Samples = samples.ToString().ToLowerInvariant(), MaxLen = 8, Dim = 8,
        };
        var errors = ConfigResolution.CheckRanges(config);
        if (mode == AttentionMode.Global && samples == TrainingSamples.Positions)
        {
            Assert.Contains(errors, e => e.Contains("'samples' positions needs attention causal", StringComparison.Ordinal));
            return;
        }
        Assert.Empty(errors);
        var style = entry.StyleFor(config);
        var prefixes = samples == TrainingSamples.Prefixes || (samples == TrainingSamples.Auto && mode == AttentionMode.Global);
        Assert.Equal(prefixes ? TrainingStyle.Prefix : TrainingStyle.AllPositions, style);
        using var model = entry.Create(config, 12, torch.CPU);
        Assert.Contains(style, model.TrainingStyles);
    }

    public static TheoryData<string, string> Formats() => PerEntry(WeightFiles.FormatNames);

    /// <summary>An entry's defaults build its model; what it exports it inspects and imports back, tensor for tensor.</summary>
    [Theory]
    [MemberData(nameof(Formats))]
    public void Every_entry_round_trips_through_defaults_create_export_inspect_and_import(string name, string formatName)
    {
        var entry = ModelRegistry.Get(name);
        var defaults = entry.Defaults(AttentionMode.Causal) with { MaxLen = 20 };
        Assert.Equal(name, defaults.Model);
        Assert.Empty(ConfigResolution.CheckRanges(defaults));

        const int items = 31;
        torch.manual_seed(7);
        using var model = entry.Create(defaults, items, torch.CPU);
        var format = WeightFiles.ParseFormat(formatName);
        var path = Path.Combine(_root, $"{name}.{formatName}");
        entry.Export(model, format, path);

        var info = entry.Inspect(path, format);
        Assert.Equal(items, info.ItemCount);
        var config = RunDefaults.Resolve(info.Config, new ConfigSource("command line",
            [new("model", RawValue.Of(name)), new("attention", RawValue.Of("causal")), new("max-len", RawValue.Of(20))]));
        Assert.Equal((defaults.Dim, defaults.Layers, defaults.Heads), (config.Dim, config.Layers, config.Heads));

        torch.manual_seed(8);
        using var imported = entry.Create(config, info.ItemCount, torch.CPU);
        entry.Import(imported, format, path);
        var expected = model.Module.state_dict();
        var actual = imported.Module.state_dict();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, tensor) in expected)
            Assert.True(tensor.equal(actual[key]).all().item<bool>(), $"{name} {formatName}: {key} differs after the round trip");
    }
}
