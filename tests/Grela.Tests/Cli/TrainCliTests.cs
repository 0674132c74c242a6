using System.Globalization;
using System.Text.Json;
using Grela.Runs;
using Grela.Models.RecGrela;

namespace Grela.Tests.Cli;

[Collection(TrainedRunCollection.Name)]
public sealed class TrainCliTests(TrainedRunFixture run)
{
    [Fact]
    public void Train_leaves_a_complete_run_folder_and_beats_popularity()
    {
        Assert.True(run.Result.ExitCode == 0, run.Result.ToString());
        foreach (var file in new[] { run.Folder.Config, run.Folder.Best, run.Folder.Last, run.Folder.History, run.Folder.Metrics, run.Folder.Log, run.Folder.Curve })
            Assert.True(File.Exists(file), $"missing {file}");
        var metrics = run.Metrics();
        Assert.Equal("recgrela", metrics.GetProperty("model").GetString());
        Assert.Equal(TrainedRunFixture.Epochs, metrics.GetProperty("epochs").GetInt32());
        Assert.InRange(metrics.GetProperty("best_epoch").GetInt32(), 0, TrainedRunFixture.Epochs - 1);
        Assert.True(metrics.GetProperty("dataset").GetProperty("users").GetInt32() > 0);
        var model = metrics.GetProperty("test").GetProperty("NDCG@10").GetDouble();
        var popularity = metrics.GetProperty("popularity").GetProperty("test").GetProperty("NDCG@10").GetDouble();
        Assert.True(model > popularity, $"RecGRELA NDCG@10 {model} should beat popularity {popularity}");
        Assert.Equal(TrainedRunFixture.Epochs + 1, File.ReadAllLines(run.Folder.History).Length);
        Assert.Contains("epoch 1", File.ReadAllText(run.Folder.Log));
    }

    [Fact]
    public void Train_into_a_folder_that_holds_a_run_names_the_options_that_fix_it()
    {
        var before = File.ReadAllBytes(run.Folder.Last);
        var result = CliHarness.Run(CliHarness.Train(run.Folder.Root));
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"--out {run.Folder.Root}: the folder already holds a run; choose another folder or continue it with --resume {run.Folder.Root}",
            result.Err);
        Assert.Equal(before, File.ReadAllBytes(run.Folder.Last));
    }

    [Fact]
    public void Json_mode_prints_only_the_metrics_document_on_stdout()
    {
        using var stdout = JsonDocument.Parse(run.Result.Out);
        Assert.Equal(File.ReadAllText(run.Folder.Metrics).Trim(), run.Result.Out.Trim());
        Assert.Contains("run folder", run.Result.Err);
    }

    [Fact]
    public void Config_json_records_the_resolved_configuration()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(run.Folder.Config));
        var root = config.RootElement;
        Assert.Equal(ConfigCatalogue.Keys.Select(k => k.Name), root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(16, root.GetProperty("dim").GetInt32());
        Assert.Equal("causal", root.GetProperty("attention").GetString());
        Assert.Equal(0.003, root.GetProperty("lr").GetDouble());
        Assert.Equal("cosine", root.GetProperty("lr-schedule").GetString());
        Assert.Equal(TrainedRunFixture.Epochs, root.GetProperty("epochs").GetInt32());
    }

    [Fact]
    public void Evaluate_reproduces_metrics_json()
    {
        var result = CliHarness.Run("evaluate", "--run", run.Folder.Root, "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var evaluated = JsonDocument.Parse(result.Out);
        var metrics = run.Metrics();
        foreach (var split in new[] { "valid", "test" })
            Assert.Equal(metrics.GetProperty(split).ToString(), evaluated.RootElement.GetProperty(split).ToString());
    }

    [Fact]
    public void Evaluate_of_the_last_checkpoint_scores_the_weights_of_the_last_epoch()
    {
        var result = CliHarness.Run("evaluate", "--run", run.Folder.Root, "--checkpoint", "last", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var evaluated = JsonDocument.Parse(result.Out);
        var root = evaluated.RootElement;
        Assert.Equal("last", root.GetProperty("checkpoint").GetString());
        // The history's last row was validated with exactly these weights, at this step.
        var header = File.ReadAllLines(run.Folder.History)[0].Split(',');
        var last = File.ReadAllLines(run.Folder.History)[^1].Split(',');
        Assert.Equal(int.Parse(last[Array.IndexOf(header, "steps")], CultureInfo.InvariantCulture), root.GetProperty("step").GetInt32());
        Assert.Equal(double.Parse(last[Array.IndexOf(header, "valid_NDCG@10")], CultureInfo.InvariantCulture),
            root.GetProperty("valid").GetProperty("NDCG@10").GetDouble(), 12);

        var best = CliHarness.Run("evaluate", "--run", run.Folder.Root, "--json");
        using var bestJson = JsonDocument.Parse(best.Out);
        Assert.Equal("best", bestJson.RootElement.GetProperty("checkpoint").GetString());
        var bad = CliHarness.Run("evaluate", "--run", run.Folder.Root, "--checkpoint", "newest");
        Assert.True(bad.ExitCode != 0, bad.ToString());
        Assert.Contains("newest", bad.Err);
    }

    [Fact]
    public void With_ema_decay_train_and_evaluate_score_the_weight_average_and_evaluate_can_score_the_training_weights()
    {
        var folder = Path.Combine(run.Root, "averaged");
        var trained = CliHarness.Run(CliHarness.Train(folder, "--epochs", "2", "--ema-decay", "0.9"));
        Assert.True(trained.ExitCode == 0, trained.ToString());
        Assert.Contains("weight average: ema-decay 0.9", trained.Out);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));
        JsonElement Evaluated(params string[] extra)
        {
            var result = CliHarness.Run(["evaluate", "--run", folder, "--json", .. extra]);
            Assert.True(result.ExitCode == 0, result.ToString());
            return JsonDocument.Parse(result.Out).RootElement;
        }
        var average = Evaluated();
        Assert.Equal("average", average.GetProperty("weights").GetString());
        Assert.Equal(metrics.RootElement.GetProperty("test").ToString(), average.GetProperty("test").ToString());
        var training = Evaluated("--weights", "training");
        Assert.Equal("training", training.GetProperty("weights").GetString());
        Assert.NotEqual(average.GetProperty("valid").ToString(), training.GetProperty("valid").ToString());

        // A run trained without an average has only training weights, whatever is asked.
        var plainFolder = Path.Combine(run.Root, "not-averaged");
        var plainRun = CliHarness.Run(CliHarness.Train(plainFolder, "--epochs", "1", "--ema-decay", "0"));
        Assert.True(plainRun.ExitCode == 0, plainRun.ToString());
        Assert.DoesNotContain("weight average", plainRun.Out);
        var plain = CliHarness.Run("evaluate", "--run", plainFolder, "--json");
        Assert.Equal("training", JsonDocument.Parse(plain.Out).RootElement.GetProperty("weights").GetString());
        var refused = CliHarness.Run(CliHarness.Train(Path.Combine(run.Root, "averaged-bad"), "--ema-decay", "1"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("ema-decay must be in [0, 1)", refused.Err);
    }

    [Fact]
    public void The_evaluate_use_case_runs_without_the_command_line_and_refuses_other_items_ids()
    {
        var context = new Grela.Cli.Shell.CliContext(new StringWriter(), new StringWriter(), CancellationToken.None);
        var output = new Grela.Cli.Shell.CliOutput(context, json: true);
        using var loaded = Grela.Cli.Runs.LoadedRun.Open(run.Folder.Root);
        var result = Grela.Cli.Runs.EvaluateRun.Execute(new(loaded, null, ConfigSource.Empty("test")), output);
        var metrics = run.Metrics();
        Assert.Equal(metrics.GetProperty("test").GetProperty("NDCG@10").GetDouble(), result.Test["NDCG@10"], 12);
        Assert.Equal(metrics.GetProperty("valid").GetProperty("HR@10").GetDouble(), result.Valid["HR@10"], 12);

        // Another synthetic draw has other item ids: refused, not silently scored against the run's embeddings.
        var other = "synthetic:users=120,items=60,groups=4,min-len=8,max-len=20,seed=4";
        var refused = Assert.Throws<Grela.Errors.UserInputException>(() => Grela.Cli.Runs.EvaluateRun.Execute(new(loaded, other, ConfigSource.Empty("test")), output));
        Assert.Contains("now name other items", refused.Message);
    }

    [Fact]
    public void The_export_use_case_runs_without_the_command_line_and_writes_every_tensor()
    {
        var path = Path.Combine(run.Root, "use-case-export.pt");
        var result = Grela.Cli.Runs.ExportRun.Execute(new(run.Folder.Root, Grela.Cli.Runs.WeightFormat.Pt, path));
        using var loaded = Grela.Cli.Runs.LoadedRun.Open(run.Folder.Root, "cpu");
        var expected = loaded.Model.Module.state_dict();
        Assert.Equal(new Grela.Cli.Runs.ExportResult(path, Grela.Cli.Runs.WeightFormat.Pt, "recgrela", expected.Count), result);
        var written = Grela.Cli.Runs.WeightFiles.Shapes(path, Grela.Cli.Runs.WeightFiles.Detect(path));
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), written.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected, p => Assert.Equal(p.Value.shape, written[p.Key]));

        var refused = Assert.Throws<Grela.Errors.UserInputException>(() => Grela.Cli.Runs.ExportRun.Execute(new(Path.Combine(run.Root, "no-such-run"), Grela.Cli.Runs.WeightFormat.Pt, path)));
        Assert.Contains("no such run folder", refused.Message);
    }

    [Fact]
    public void The_import_use_case_runs_without_the_command_line_and_makes_a_loadable_run()
    {
        var weights = Path.Combine(run.Root, "use-case-import.safetensors");
        var exported = Grela.Cli.Runs.ExportRun.Execute(new(run.Folder.Root, Grela.Cli.Runs.WeightFormat.Safetensors, weights));
        var context = new Grela.Cli.Shell.CliContext(new StringWriter(), new StringWriter(), CancellationToken.None);
        var output = new Grela.Cli.Shell.CliOutput(context, json: true);
        var folder = Path.Combine(run.Root, "use-case-imported");
        var result = Grela.Cli.Runs.ImportRun.Execute(new(weights, [], folder), output);
        var trained = CheckpointFile.Read(run.Folder.Best).Header;
        Assert.Equal((folder, trained.Dataset.Items, exported.Tensors, (string?)null), (result.Folder.Root, result.Items, result.Tensors, result.Dataset));
        Assert.Equal((trained.Config.Dim, trained.Config.Layers, trained.Config.Heads, trained.Config.Attention), (result.Config.Dim, result.Config.Layers, result.Config.Heads, result.Config.Attention));
        using var loaded = Grela.Cli.Runs.LoadedRun.Open(folder, "cpu");
        Assert.Equal(exported.Tensors, loaded.Model.Module.state_dict().Count);

        // The folder is taken now: a second import into it is refused, and nothing is overwritten.
        Assert.Throws<Grela.Errors.UserInputException>(() => Grela.Cli.Runs.ImportRun.Execute(new(weights, [], folder), output));
    }

    [Fact]
    public void A_causal_run_with_summary_slots_trains_evaluates_and_recommends_from_its_window()
    {
        var folder = Path.Combine(run.Root, "summary-slots");
        var trained = CliHarness.Run("train", "--data", CliHarness.TinyTraining[1], "--max-len", "20", "--dim", "16", "--layers", "2", "--heads", "2",
            "--batch-size", "32", "--seed", "1", "--attention", "causal", "--summary-slots", "2", "--epochs", "1", "--out", folder);
        Assert.True(trained.ExitCode == 0, trained.ToString());
        var header = CheckpointFile.Read(Path.Combine(folder, "best.ckpt")).Header;
        Assert.Equal(2, header.Config.SummarySlots);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));
        var evaluated = CliHarness.Run("evaluate", "--run", folder, "--json");
        Assert.True(evaluated.ExitCode == 0, evaluated.ToString());
        Assert.Equal(metrics.RootElement.GetProperty("test").ToString(), JsonDocument.Parse(evaluated.Out).RootElement.GetProperty("test").ToString());
        var recommended = CliHarness.Run("recommend", "--run", folder, "--history", string.Join(' ', header.ItemTokens.Skip(1).Take(6)), "--top", "5", "--json");
        Assert.True(recommended.ExitCode == 0, recommended.ToString());
        using var answer = JsonDocument.Parse(recommended.Out);
        Assert.Equal(5, answer.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetString()).Distinct().Count());
    }

    [Fact]
    public void Export_then_import_of_a_model_with_registers_and_summary_slots_needs_neither_option()
    {
        var folder = Path.Combine(run.Root, "slots-export");
        var trained = CliHarness.Run("train", "--data", CliHarness.TinyTraining[1], "--max-len", "20", "--dim", "16", "--layers", "2", "--heads", "2",
            "--batch-size", "32", "--seed", "3", "--attention", "causal", "--registers", "3", "--summary-slots", "2", "--epochs", "1", "--out", folder);
        Assert.True(trained.ExitCode == 0, trained.ToString());
        var tokens = CheckpointFile.Read(Path.Combine(folder, "best.ckpt")).Header.ItemTokens;
        var history = string.Join(' ', tokens.Skip(2).Take(6));
        var original = Recommend(folder, history);
        var safetensors = Path.Combine(run.Root, "slots.safetensors");
        var pt = Path.Combine(run.Root, "slots.pt");
        Assert.Equal(0, CliHarness.Run("export", "--run", folder, "--format", "safetensors", "--out", safetensors).ExitCode);
        Assert.Equal(0, CliHarness.Run("export", "--run", folder, "--format", "pt", "--out", pt).ExitCode);

        // The slot counts come from the tensor shapes; the slots exist only in causal models, so a .pt
        // file (no metadata) that holds them is causal without --attention and without a warning.
        foreach (var (file, extra) in new[] { (safetensors, Array.Empty<string>()), (pt, new[] { "--heads", "2" }) })
        {
            var into = Path.Combine(run.Root, "slots-imported-" + Path.GetExtension(file).TrimStart('.'));
            var imported = CliHarness.Run(["import", "--weights", file, .. extra, "--data", CliHarness.TinyTraining[1], "--out", into]);
            Assert.True(imported.ExitCode == 0, imported.ToString());
            Assert.DoesNotContain("warning", imported.Out + imported.Err);
            var config = CheckpointFile.Read(Path.Combine(into, "best.ckpt")).Header.Config;
            Assert.Equal((3, 2, AttentionMode.Causal), (config.Registers, config.SummarySlots, config.AttentionMode));
            Assert.Equal(original, Recommend(into, history));
        }

        // Options that contradict the file are refused with the tensors that do not fit, not ignored.
        var contradicted = CliHarness.Run("import", "--weights", safetensors, "--registers", "0", "--out", Path.Combine(run.Root, "slots-contradicted"));
        Assert.Equal(2, contradicted.ExitCode);
        Assert.Contains("registers", contradicted.Err);
    }

    /// <summary>One epoch of a small model with windows of 8 on the tiny file's histories of up to 18 training items: long enough to be cut.</summary>
    private static string[] SmallTrain(string folder, params string[] extra) => ["train", "--data", CliHarness.TinyTraining[1], "--max-len", "8", "--dim", "16",
        "--layers", "1", "--heads", "2", "--batch-size", "32", "--seed", "1", "--epochs", "1", "--out", folder, .. extra];

    /// <summary>Batches per epoch and training targets per epoch, from train's plan line.</summary>
    private static (int Batches, string Targets) Plan(CliResult r) =>
        System.Text.RegularExpressions.Regex.Match(r.Err + r.Out, @"(\d+) batches of \d+ per epoch, ([\d,]+) training targets") is { Success: true } m
            ? (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value) : throw new Xunit.Sdk.XunitException("no plan line in: " + r);

    [Fact]
    public void Overlapping_windows_keep_the_targets_per_epoch_and_add_batches()
    {
        var overlapping = Path.Combine(run.Root, "window-stride");
        var trained = CliHarness.Run(SmallTrain(overlapping, "--window-stride", "3"));
        Assert.True(trained.ExitCode == 0, trained.ToString());
        var plain = Path.Combine(run.Root, "window-stride-off");
        var plainRun = CliHarness.Run(SmallTrain(plain));
        Assert.True(plainRun.ExitCode == 0, plainRun.ToString());
        Assert.Equal(3, CheckpointFile.Read(Path.Combine(overlapping, "best.ckpt")).Header.Config.WindowStride);
        Assert.Contains("(windows every 3 targets, each target with at least 5 items of context where the history has them)", trained.Err + trained.Out);
        Assert.Equal(Plan(plainRun).Targets, Plan(trained).Targets);
        Assert.True(Plan(trained).Batches > Plan(plainRun).Batches, trained.ToString());
    }

    [Fact]
    public void Causal_training_on_prefix_samples_trains_every_target_once_as_its_own_sample()
    {
        var prefixFolder = Path.Combine(run.Root, "samples-prefixes");
        var prefixes = CliHarness.Run(SmallTrain(prefixFolder, "--samples", "prefixes"));
        Assert.True(prefixes.ExitCode == 0, prefixes.ToString());
        var positions = CliHarness.Run(SmallTrain(Path.Combine(run.Root, "samples-positions")));
        Assert.True(positions.ExitCode == 0, positions.ToString());
        Assert.Equal("prefixes", CheckpointFile.Read(Path.Combine(prefixFolder, "best.ckpt")).Header.Config.Samples);
        Assert.Contains("(Prefix, right padding)", prefixes.Err + prefixes.Out);
        Assert.Contains("(AllPositions, right padding)", positions.Err + positions.Out);
        // Every training target once an epoch either way; a prefix sample carries one, a window many.
        Assert.Equal(Plan(positions).Targets, Plan(prefixes).Targets);
        Assert.True(Plan(prefixes).Batches > Plan(positions).Batches, prefixes.ToString());
        var refused = CliHarness.Run(SmallTrain(Path.Combine(run.Root, "samples-refused"), "--attention", "global", "--samples", "positions"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--samples positions needs attention causal: global attention reads the whole window at every position, so each prefix is its own sample (use --samples prefixes or auto)", refused.Err);
        Assert.False(Directory.Exists(Path.Combine(run.Root, "samples-refused")));
    }

    [Fact]
    public void Item_dropout_changes_training_and_is_recorded_in_the_config()
    {
        var folder = Path.Combine(run.Root, "item-dropout");
        var trained = CliHarness.Run(CliHarness.Train(folder, "--epochs", "1", "--item-dropout", "0.3"));
        Assert.True(trained.ExitCode == 0, trained.ToString());
        var plain = Path.Combine(run.Root, "item-dropout-off");
        Assert.True(CliHarness.Run(CliHarness.Train(plain, "--epochs", "1")).ExitCode == 0);
        Assert.Equal(0.3, CheckpointFile.Read(Path.Combine(folder, "best.ckpt")).Header.Config.ItemDropout);
        static string Loss(string run) => File.ReadAllLines(Path.Combine(run, "history.csv"))[1].Split(',')[1];
        Assert.NotEqual(Loss(plain), Loss(folder));
    }

    [Fact]
    public void Recommend_returns_k_distinct_real_items_best_first()
    {
        var tokens = CheckpointFile.Read(run.Folder.Best).Header.ItemTokens;
        var history = string.Join(' ', tokens.Skip(1).Take(6));
        var result = CliHarness.Run("recommend", "--run", run.Folder.Root, "--history", history, "--top", "7", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var answer = JsonDocument.Parse(result.Out);
        var items = answer.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetString()!).ToList();
        var scores = answer.RootElement.GetProperty("scores").EnumerateArray().Select(s => s.GetDouble()).ToList();
        Assert.Equal(7, items.Count);
        Assert.Equal(7, items.Distinct().Count());
        Assert.All(items, i => Assert.Contains(i, tokens.Skip(1)));
        Assert.Equal(scores.OrderDescending(), scores);
    }

    [Fact]
    public void Export_then_import_gives_identical_scores()
    {
        var header = CheckpointFile.Read(run.Folder.Best).Header;
        var tokens = header.ItemTokens;
        var history = tokens.Skip(3).Take(5).ToArray();
        var original = Recommend(run.Folder.Root, string.Join(' ', history));

        var safetensors = Path.Combine(run.Root, "export.safetensors");
        var pt = Path.Combine(run.Root, "export.pt");
        Assert.Equal(0, CliHarness.Run("export", "--run", run.Folder.Root, "--format", "safetensors", "--out", safetensors).ExitCode);
        Assert.Equal(0, CliHarness.Run("export", "--run", run.Folder.Root, "--format", "pt", "--out", pt).ExitCode);

        // Without a dataset, the imported run takes integer ids: the internal ids of the same items.
        // The architecture (dim, layers, heads, window, attention) comes from the file itself.
        var bare = Path.Combine(run.Root, "imported-bare");
        var imported = CliHarness.Run("import", "--weights", safetensors, "--model", "recgrela", "--out", bare);
        Assert.True(imported.ExitCode == 0, imported.ToString());
        var ids = history.Select(t => tokens.IndexOf(t).ToString(CultureInfo.InvariantCulture));
        var fromBare = Recommend(bare, string.Join(' ', ids));
        Assert.Equal(original.Scores, fromBare.Scores);
        Assert.Equal(original.Items, fromBare.Items.Select(i => tokens[int.Parse(i, CultureInfo.InvariantCulture)]));

        // With the dataset, a .pt import answers in the dataset's own ids. A .pt file carries no
        // metadata, so it is taken for official (global) weights unless --attention says otherwise.
        var withData = Path.Combine(run.Root, "imported-pt");
        var importedPt = CliHarness.Run(["import", "--weights", pt, "--attention", "causal", "--heads", "2", "--data", CliHarness.TinyTraining[1], "--out", withData]);
        Assert.True(importedPt.ExitCode == 0, importedPt.ToString());
        var fromPt = Recommend(withData, string.Join(' ', history));
        Assert.Equal(original, fromPt);

        // Without a dataset, the item count and shapes come from the pickled state dict itself.
        var barePt = Path.Combine(run.Root, "imported-pt-bare");
        var importedBarePt = CliHarness.Run("import", "--weights", pt, "--attention", "causal", "--heads", "2", "--out", barePt);
        Assert.True(importedBarePt.ExitCode == 0, importedBarePt.ToString());
        Assert.Equal(fromBare, Recommend(barePt, string.Join(' ', ids)));
        Assert.DoesNotContain("warning", importedBarePt.Out + importedBarePt.Err);

        // Without them, the import says what it assumed instead of building another model silently.
        var assumed = CliHarness.Run("import", "--weights", pt, "--out", Path.Combine(run.Root, "imported-pt-assumed"));
        Assert.True(assumed.ExitCode == 0, assumed.ToString());
        Assert.Contains("does not record the attention mode, so it is taken as global (the official code's); weights trained in causal mode need attention causal (--attention)",
            assumed.Out + assumed.Err);
        Assert.Contains("does not record the number of heads", assumed.Out + assumed.Err);
    }

    private static Answer Recommend(string folder, string history)
    {
        var result = CliHarness.Run("recommend", "--run", folder, "--history", history, "--top", "10", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var answer = JsonDocument.Parse(result.Out);
        return new Answer(
            [.. answer.RootElement.GetProperty("items").EnumerateArray().Select(i => i.ValueKind == JsonValueKind.Number ? i.GetInt64().ToString(CultureInfo.InvariantCulture) : i.GetString()!)],
            [.. answer.RootElement.GetProperty("scores").EnumerateArray().Select(s => s.GetDouble())]);
    }

    private sealed record Answer(IReadOnlyList<string> Items, IReadOnlyList<double> Scores)
    {
        public bool Equals(Answer? other) => other is not null && Items.SequenceEqual(other.Items) && Scores.SequenceEqual(other.Scores);
        public override int GetHashCode() => Items.Count;
    }

    [Fact]
    public void An_interrupted_run_resumed_ends_with_the_metrics_of_the_uninterrupted_run()
    {
        var folder = Path.Combine(run.Root, "interrupted");
        var cancel = new CancellationTokenSource();
        // 120 users / 32 per batch = 4 batches per epoch: step 6 is inside the second epoch.
        var stopped = CliHarness.Run(cancel.Token, s => { if (s.Step == 6) cancel.Cancel(); },
            CliHarness.Train(folder, "--epochs", TrainedRunFixture.Epochs.ToString()));
        Assert.True(stopped.ExitCode == 130, stopped.ToString());
        Assert.Contains("--resume", stopped.Out);
        Assert.False(File.Exists(Path.Combine(folder, "metrics.json")));
        Assert.Equal(6, CheckpointFile.Read(Path.Combine(folder, "last.ckpt")).Header.Progress.Step);

        var resumed = CliHarness.Run("train", "--resume", folder, "--json");
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        using var actual = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));
        var expected = run.Metrics();
        foreach (var key in new[] { "epochs", "best_epoch", "valid", "test", "popularity", "dataset" })
            Assert.Equal(expected.GetProperty(key).ToString(), actual.RootElement.GetProperty(key).ToString());
        Assert.Equal(WithoutTimes(File.ReadAllLines(run.Folder.History)), WithoutTimes(File.ReadAllLines(Path.Combine(folder, "history.csv"))));
    }

    [Fact]
    public void Two_runs_with_one_seed_agree_and_the_command_line_beats_the_config_file()
    {
        var configFile = Path.Combine(run.Root, "tiny.yaml");
        var t = CliHarness.TinyTraining;
        File.WriteAllText(configFile, string.Join('\n',
            $"data: \"{t[1]}\"", "max_len: 20", "dim: 16", "layers: 1", "heads: 2", "batch-size: 32", "seed: 1", "epochs: 9", "") );
        var folder = Path.Combine(run.Root, "one-epoch");
        var result = CliHarness.Run("train", "--config", configFile, "--epochs", "1", "--out", folder);
        Assert.True(result.ExitCode == 0, result.ToString());
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "config.json")));
        Assert.Equal(1, config.RootElement.GetProperty("epochs").GetInt32());     // command line over file
        Assert.Equal(16, config.RootElement.GetProperty("dim").GetInt32());       // file over default (128 in causal mode)
        // The first epoch does not depend on how many follow: same loss and validation metrics.
        Assert.Equal(WithoutTimes(File.ReadAllLines(run.Folder.History))[..2], WithoutTimes(File.ReadAllLines(Path.Combine(folder, "history.csv"))));
    }

    [Fact]
    public void Global_attention_trains_the_official_way_on_prefix_samples()
    {
        var folder = Path.Combine(run.Root, "global");
        var result = CliHarness.Run(CliHarness.Train(folder, "--attention", "global", "--epochs", "1"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("recgrela (Prefix, right padding)", result.Out);
        var header = CheckpointFile.Read(Path.Combine(folder, "best.ckpt")).Header;
        Assert.Equal("global", header.Config.Attention);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));
        Assert.True(metrics.RootElement.GetProperty("test").GetProperty("HR@20").GetDouble() > 0);
    }

    [Fact]
    public void Target_sized_batches_train_resume_exactly_and_need_length_buckets()
    {
        string[] options = ["--epochs", "2", "--length-buckets", "2", "--batch-targets", "300"];
        var whole = Path.Combine(run.Root, "targets-whole");
        var result = CliHarness.Run(CliHarness.Train(whole, options));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("batches of about 300 targets per epoch", result.Out);
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(whole, "config.json"))))
            Assert.Equal(300, config.RootElement.GetProperty("batch-targets").GetInt32());

        var cut = Path.Combine(run.Root, "targets-cut");
        var cancel = new CancellationTokenSource();
        var stopped = CliHarness.Run(cancel.Token, s => { if (s.Step == 4) cancel.Cancel(); }, CliHarness.Train(cut, options));
        Assert.True(stopped.ExitCode == 130, stopped.ToString());
        var resumed = CliHarness.Run("train", "--resume", cut);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal(WithoutTimes(File.ReadAllLines(Path.Combine(whole, "history.csv"))), WithoutTimes(File.ReadAllLines(Path.Combine(cut, "history.csv"))));

        var refused = CliHarness.Run(CliHarness.Train(Path.Combine(run.Root, "targets-bad"), "--length-buckets", "0", "--batch-targets", "300"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("'length-buckets' > 0", refused.Err);
        var global = CliHarness.Run(CliHarness.Train(Path.Combine(run.Root, "targets-global"), "--attention", "global", "--batch-targets", "300"));
        Assert.Equal(2, global.ExitCode);
        Assert.Contains("batch-targets", global.Err);
    }

    [Fact]
    public void Max_steps_ends_training_inside_an_epoch_with_validation_test_and_the_steps_in_the_history()
    {
        var folder = Path.Combine(run.Root, "max-steps");
        var result = CliHarness.Run(CliHarness.Train(folder, "--epochs", "3", "--max-steps", "3"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("max-steps 3: training ends after optimizer step 3, in epoch 1 at the latest", result.Out);
        var history = File.ReadAllLines(Path.Combine(folder, "history.csv"));
        var steps = Array.IndexOf(history[0].Split(','), "steps");
        Assert.Equal(["3"], history.Skip(1).Select(l => l.Split(',')[steps]));
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));
        Assert.True(metrics.RootElement.GetProperty("test").GetProperty("HR@20").GetDouble() >= 0);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "config.json")));
        Assert.Equal(3, config.RootElement.GetProperty("max-steps").GetInt32());

        var refused = CliHarness.Run(CliHarness.Train(Path.Combine(run.Root, "max-steps-bad"), "--max-steps", "-1"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("max-steps", refused.Err);
    }

    /// <summary>history.csv rows without the wall-time columns (seconds, samples/s).</summary>
    private static string[] WithoutTimes(string[] lines)
    {
        var header = lines[0].Split(',');
        int seconds = Array.IndexOf(header, "seconds"), rate = Array.IndexOf(header, "samples_per_s");
        return [.. lines.Select(l => string.Join(',', l.Split(',').Where((_, i) => i != seconds && i != rate)))];
    }
}
