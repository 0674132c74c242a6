using System.Text.Json;
using Grela.Cli.Shell;
using Grela.Data.Batching;
using Grela.Models;
using Grela.Runs;
using Grela.Training;

namespace Grela.Tests.Runs;

public sealed class ConfigResolutionTests
{
    private static ConfigSource Cli(params (string Key, RawValue Value)[] values) =>
        new("command line", [.. values.Select(v => new KeyValuePair<string, RawValue>(v.Key, v.Value))]);

    private static TrainingConfig Resolve(params ConfigSource[] sources) =>
        ConfigResolution.Resolve(new TrainingConfig(), sources).Match(c => c, e => throw new Xunit.Sdk.XunitException(string.Join("; ", e)));

    private static IReadOnlyList<string> Errors(params ConfigSource[] sources) =>
        ConfigResolution.Resolve(new TrainingConfig(), sources).Match(_ => [], e => e.ToList());

    [Fact]
    public void Command_line_beats_the_file_which_beats_the_defaults()
    {
        var file = ConfigFileReader.ReadYaml("config file c.yaml", "epochs: 7\nlr: 0.01\nbatch_size: 64\n");
        var config = Resolve(file, Cli(("epochs", RawValue.Of(3))));
        Assert.Equal(3, config.Epochs);          // command line
        Assert.Equal(0.01, config.Lr);           // file (snake_case key accepted)
        Assert.Equal(64, config.BatchSize);      // file
        Assert.Equal(4, config.Heads);           // default
    }

    [Fact]
    public void Every_spelling_of_windows_and_lr_schedule_resolves_to_its_own_enum_value()
    {
        Assert.Equal(["all", "last"], ConfigCatalogue.WindowChoices);
        Assert.Equal(["constant", "cosine", "linear"], ConfigCatalogue.LrSchedules);
        Assert.Equal(Enum.GetValues<TrainingWindows>(),
            ConfigCatalogue.WindowChoices.Select(w => Resolve(Cli(("windows", RawValue.Of(w)))).TrainingWindows));
        Assert.Equal(Enum.GetValues<LrDecay>(),
            ConfigCatalogue.LrSchedules.Select(s => Resolve(Cli(("lr-schedule", RawValue.Of(s)))).LrDecay));
        Assert.Equal((TrainingWindows.All, LrDecay.Constant), (new TrainingConfig().TrainingWindows, new TrainingConfig().LrDecay));
        Assert.Throws<ArgumentException>(() => TrainingWindowNames.Parse("newest"));
    }

    [Fact]
    public void Every_spelling_of_drop_path_draw_resolves_to_its_own_enum_value()
    {
        Assert.Equal(["sequence", "position"], ConfigCatalogue.DropPathDraws);
        Assert.Equal(Enum.GetValues<Grela.Models.RecGrela.DropPathDraw>(),
            ConfigCatalogue.DropPathDraws.Select(d => Resolve(Cli(("drop-path-draw", RawValue.Of(d)))).DropPathDrawing));
        Assert.Equal(Grela.Models.RecGrela.DropPathDraw.Sequence, new TrainingConfig().DropPathDrawing);
        Assert.Throws<ArgumentException>(() => Grela.Models.RecGrela.DropPathDrawNames.Parse("batch"));
    }

    [Fact]
    public void Item_dropout_is_a_rate_below_one()
    {
        Assert.Equal(0.1, Resolve(Cli(("item-dropout", RawValue.Of(0.1)))).ItemDropout);
        Assert.Equal(0, new TrainingConfig().ItemDropout);
        Assert.Equal(["command line: 'item-dropout' must be in [0, 1) (0: off), got 1"], Errors(Cli(("item-dropout", RawValue.Of(1.0)))));
        Assert.Equal(["command line: 'item-dropout' must be in [0, 1) (0: off), got -0.1"], Errors(Cli(("item-dropout", RawValue.Of(-0.1)))));
    }

    [Fact]
    public void Window_stride_is_at_most_max_len_and_needs_causal_training_on_all_windows()
    {
        Assert.Equal(100, Resolve(Cli(("attention", RawValue.Of("causal")), ("window-stride", RawValue.Of(100)))).WindowStride);
        Assert.Equal(0, new TrainingConfig().WindowStride);
        Assert.Equal(["command line: 'window-stride' must be at most 'max-len' (50): a longer stride would leave targets out, got 51"],
            Errors(Cli(("attention", RawValue.Of("causal")), ("max-len", RawValue.Of(50)), ("window-stride", RawValue.Of(51)))));
        Assert.Contains(Errors(Cli(("attention", RawValue.Of("global")), ("window-stride", RawValue.Of(10)))),
            e => e.Contains("'window-stride' applies to all-position training only (global mode trains on prefix samples", StringComparison.Ordinal));
        Assert.Contains(Errors(Cli(("attention", RawValue.Of("causal")), ("windows", RawValue.Of("last")), ("window-stride", RawValue.Of(10)))),
            e => e.Contains("'window-stride' needs 'windows' all", StringComparison.Ordinal));
        Assert.Contains(Errors(Cli(("window-stride", RawValue.Of(-1)))), e => e.Contains("'window-stride'", StringComparison.Ordinal));
    }

    [Fact]
    public void Samples_choose_the_training_style_and_positions_need_causal_attention()
    {
        Assert.Equal(TrainingStyle.AllPositions, Resolve(Cli(("attention", RawValue.Of("causal")))).Style);
        Assert.Equal(TrainingStyle.Prefix, Resolve(Cli(("attention", RawValue.Of("global")))).Style);
        Assert.Equal(TrainingStyle.Prefix, Resolve(Cli(("attention", RawValue.Of("causal")), ("samples", RawValue.Of("prefixes")))).Style);
        Assert.Equal(TrainingStyle.Prefix, Resolve(Cli(("attention", RawValue.Of("global")), ("samples", RawValue.Of("prefixes")))).Style);
        Assert.Equal("auto", new TrainingConfig().Samples);
        Assert.Equal(["command line: 'samples' positions needs attention causal: global attention reads the whole window at every position, so each prefix is its own sample (use 'samples' prefixes or auto)"],
            Errors(Cli(("attention", RawValue.Of("global")), ("samples", RawValue.Of("positions")))));
        // Keys that shape all-position windows say why they do not apply to prefix samples.
        Assert.Contains(Errors(Cli(("attention", RawValue.Of("causal")), ("samples", RawValue.Of("prefixes")), ("window-stride", RawValue.Of(10)))),
            e => e.Contains("'window-stride' applies to all-position training only ('samples' prefixes trains one sample per prefix", StringComparison.Ordinal));
        Assert.Contains(Errors(Cli(("attention", RawValue.Of("causal")), ("samples", RawValue.Of("prefixes")), ("length-buckets", RawValue.Of(4)), ("batch-targets", RawValue.Of(100)))),
            e => e.Contains("'batch-targets' applies to all-position training only", StringComparison.Ordinal));
        Assert.Contains(Errors(Cli(("samples", RawValue.Of("windows")))), e => e.Contains("samples", StringComparison.Ordinal) && e.Contains("prefixes", StringComparison.Ordinal));
    }

    [Fact]
    public void Summary_slots_are_causal_only_and_bounded()
    {
        Assert.Equal(3, Resolve(Cli(("attention", RawValue.Of("causal")), ("summary-slots", RawValue.Of(3)))).SummarySlots);
        Assert.Equal(0, new TrainingConfig().SummarySlots);
        Assert.Contains(Errors(Cli(("attention", RawValue.Of("global")), ("summary-slots", RawValue.Of(2)))),
            e => e.Contains("'summary-slots' applies to attention causal only"));
        Assert.Contains(Errors(Cli(("attention", RawValue.Of("causal")), ("summary-slots", RawValue.Of(-1)))), e => e.Contains("'summary-slots'"));
        Assert.Contains(Errors(Cli(("attention", RawValue.Of("causal")), ("summary-slots", RawValue.Of(65)))), e => e.Contains("'summary-slots'"));
    }

    [Fact]
    public void An_unknown_key_is_an_error_naming_it_with_a_suggestion()
    {
        var file = ConfigFileReader.ReadYaml("config file c.yaml", "epoch: 7\n");
        var error = Assert.Single(Errors(file));
        Assert.Contains("config file c.yaml", error);
        Assert.Contains("unknown key 'epoch'", error);
        Assert.Contains("did you mean 'epochs'", error);
    }

    [Theory]
    [InlineData("epochs: ten\n", "'epochs' expects an integer, got \"ten\"")]
    [InlineData("epochs: \"5\"\n", "'epochs' expects an integer, got \"5\"")]
    [InlineData("epochs: 2.5\n", "'epochs' expects an integer, got 2.5")]
    [InlineData("lr: fast\n", "'lr' expects a number, got \"fast\"")]
    [InlineData("attention: sideways\n", "'attention' expects one of causal|global, got \"sideways\"")]
    [InlineData("dim: [1, 2]\n", "'dim' expects an integer, got a YAML list")]
    public void A_wrong_type_is_an_error_naming_the_key(string yaml, string expected)
    {
        var error = Assert.Single(Errors(ConfigFileReader.ReadYaml("config file c.yaml", yaml)));
        Assert.Contains(expected, error);
    }

    [Theory]
    [InlineData("epochs: 2\nbatch_size: [6\nlr: 0.01\n", "after line 2")]   // a fuzz case: the YAML parser threw a bare InvalidOperationException
    [InlineData("epochs: 2\ndim: {a: 1\n", "invalid YAML")]
    public void Malformed_yaml_is_an_error_naming_the_file_and_where_it_broke(string yaml, string where)
    {
        var error = Assert.Throws<Grela.Errors.UserInputException>(() => ConfigFileReader.ReadYaml("config file c.yaml", yaml));
        Assert.StartsWith("config file c.yaml: invalid YAML", error.Message);
        Assert.Contains(where, error.Message);
    }

    [Fact]
    public void Json_config_files_keep_number_and_text_kinds()
    {
        var ok = Resolve(ConfigFileReader.ReadJson("config file c.json", """{"epochs": 4, "model": "recgrela", "dropout": 0.3}"""));
        Assert.Equal((4, 0.3), (ok.Epochs, ok.Dropout));
        var error = Assert.Single(Errors(ConfigFileReader.ReadJson("config file c.json", """{"epochs": "4"}""")));
        Assert.Contains("'epochs' expects an integer", error);
    }

    [Fact]
    public void Every_range_violation_is_reported_at_once()
    {
        var errors = Errors(Cli(("epochs", RawValue.Of(0)), ("dropout", RawValue.Of(1.5)), ("heads", RawValue.Of(5))));
        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.Contains("'epochs' must be positive"));
        Assert.Contains(errors, e => e.Contains("'dropout' must be in [0, 1)"));
        Assert.Contains(errors, e => e.Contains("'heads' (5) must divide 'dim' (64)"));
    }

    [Theory]
    [InlineData(-0.1, 0.001, "'weight-decay' must be 0 (off) or a positive finite number, got -0.1")]
    [InlineData(double.PositiveInfinity, 0.001, "'weight-decay'")]
    [InlineData(100.0, 0.01, "'lr' x 'weight-decay' must be below 1")]
    public void Weight_decay_is_refused_where_a_step_would_not_shrink_the_weights(double decay, double lr, string expected)
    {
        var errors = Errors(Cli(("weight-decay", RawValue.Of(decay)), ("lr", RawValue.Of(lr))));
        Assert.Contains(errors, e => e.Contains(expected));
        Assert.Equal(0.5, Resolve(Cli(("weight-decay", RawValue.Of(50.0)), ("lr", RawValue.Of(0.01)))).WeightDecay * 0.01);
    }

    [Fact]
    public void Keys_that_become_model_hyperparameters_follow_the_constraints_the_record_declares()
    {
        // RecGrelaModel: [Positive] MaxLength, Dim, Layers; [Positive, Divides(Dim, QuotientMultipleOf = 2)] Heads; [Rate] Dropout, DropPathRate.
        Assert.Equal(["max-len", "dim", "layers", "heads", "dropout", "drop-path"], SpecKeys.Keys);
        var errors = Errors(Cli(("max-len", RawValue.Of(0)), ("layers", RawValue.Of(-1)), ("drop-path", RawValue.Of(1.0)), ("heads", RawValue.Of(100_000))));
        Assert.Equal(
        [
            "command line: 'max-len' must be positive, got 0",
            "command line: 'layers' must be positive, got -1",
            "command line: 'heads' must be at most 65,536, got 100,000",
            "command line: 'heads' (100000) must divide 'dim' (64): each head gets dim/heads channels",
            "command line: 'drop-path' must be in [0, 1), got 1",
        ], errors);
        // A head count that is not positive is reported once, not again as a divisor.
        Assert.Equal(["command line: 'heads' must be positive, got 0"], Errors(Cli(("heads", RawValue.Of(0)))));
        Assert.Equal(["command line: 'dropout' must be in [0, 1), got -0.5"], Errors(Cli(("dropout", RawValue.Of(-0.5)))));
    }

    [Fact]
    public void RecGrela_heads_must_leave_an_even_head_width_as_its_record_declares()
    {
        // RecGrelaModel: [Divides(Dim, QuotientMultipleOf = 2)] Heads.
        Assert.Equal(8, Resolve(Cli(("dim", RawValue.Of(64)), ("heads", RawValue.Of(8)))).Heads);
        Assert.Equal(
            ["command line: 'dim'/'heads' (60/4 = 15) must be even for recgrela: rotary encoding turns channel pairs"],
            Errors(Cli(("dim", RawValue.Of(60)), ("heads", RawValue.Of(4)))));
        // A head count that does not divide is that one error, not also an odd width.
        Assert.Equal(
            ["command line: 'heads' (7) must divide 'dim' (60): each head gets dim/heads channels"],
            Errors(Cli(("dim", RawValue.Of(60)), ("heads", RawValue.Of(7)))));
        // The baselines declare no such rule: their head width may be odd.
        Assert.Equal(4, Resolve(Cli(("model", RawValue.Of("sasrec")), ("dim", RawValue.Of(60)), ("heads", RawValue.Of(4)))).Heads);
    }

    [Fact]
    public void The_resolved_config_round_trips_through_config_json()
    {
        var config = new TrainingConfig { Data = "a/b.inter", Epochs = 9, Lr = 3e-4, Seed = 1L << 40, Attention = "global" };
        using var json = JsonDocument.Parse(ConfigJson.ToText(config));
        Assert.Equal(config, ConfigJson.FromJson("config.json", json.RootElement));
        Assert.Equal(ConfigCatalogue.Keys.Select(k => k.Name), json.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void The_synthetic_dataset_keeps_a_null_data_key_through_json()
    {
        using var json = JsonDocument.Parse(ConfigJson.ToText(new TrainingConfig()));
        Assert.Null(ConfigJson.FromJson("config.json", json.RootElement).Data);
    }
}
