using System.Text.Json;

namespace Grela.Tests.Cli;

[Collection(TrainedRunCollection.Name)]
public sealed class BadInputCliTests(TrainedRunFixture run)
{
    private static void AssertBadInput(CliResult result, params string[] fragments)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        foreach (var fragment in fragments)
            Assert.Contains(fragment, result.Err);
        Assert.DoesNotContain("   at ", result.Err); // no stack trace on user error
    }

    [Fact]
    public void Bad_option_values_exit_2_naming_the_option()
    {
        AssertBadInput(CliHarness.Run("train", "--epochs", "ten"), "--epochs: expected an integer, got \"ten\"");
        AssertBadInput(CliHarness.Run("train", "--attention", "sideways"), "--attention: expected one of causal|global");
        AssertBadInput(CliHarness.Run("train", "--dropout", "1.5"), "command line: --dropout must be in [0, 1)");
        AssertBadInput(CliHarness.Run("train", "--no-such-option"), "--no-such-option");
        AssertBadInput(CliHarness.Run("recommend", "--run", run.Folder.Root, "--history", "1 2", "--top", "0"), "--top");
    }

    [Fact]
    public void Every_format_option_refuses_an_unknown_value_in_the_same_words()
    {
        // One declaration (CommonOptions.Format), each command with its own values.
        AssertBadInput(CliHarness.Run("export", "--run", run.Folder.Root, "--format", "zip", "--out", "x"), "--format: expected one of safetensors|pt, got \"zip\"");
        foreach (var command in new[] { new[] { "train" }, ["evaluate", "--run", run.Folder.Root], ["data", "stats", "synthetic"], ["data", "check", "synthetic"] })
            AssertBadInput(CliHarness.Run([.. command, "--format", "zip"]), "--format: expected one of auto|atomic|movielens-dat|movielens-csv|user-lines|pairs|inter|dat|csv, got \"zip\"");
        Assert.Contains("--format <safetensors|pt> (REQUIRED)", CliHarness.Run("export", "--help").Out);
        Assert.Contains("--format <F>", CliHarness.Run("evaluate", "--help").Out);
    }

    [Fact]
    public void An_unknown_model_is_a_clear_error()
    {
        AssertBadInput(CliHarness.Run("train", "--model", "bert4rec"), "--model: expected one of recgrela|sasrec|gru4rec|linrec|mamba4rec, got \"bert4rec\"");
    }

    [Fact]
    public void Cuda_without_a_gpu_is_a_clear_error()
    {
        AssertBadInput(CliHarness.Run("train", "--device", "cuda"), "no usable CUDA GPU");
    }

    [Fact]
    public void Bad_config_files_exit_2_naming_the_key()
    {
        var path = Path.Combine(run.Root, "bad.yaml");
        File.WriteAllText(path, "epochs: 3\nlearning_rate: 0.1\nheads: four\n");
        AssertBadInput(CliHarness.Run("train", "--config", path), "unknown key 'learning_rate'", "'heads' expects an integer, got \"four\"", path);
        AssertBadInput(CliHarness.Run("train", "--config", Path.Combine(run.Root, "absent.yaml")), "absent.yaml: file not found");
        var broken = Path.Combine(run.Root, "broken.json");
        File.WriteAllText(broken, "{\"epochs\": 3,");
        AssertBadInput(CliHarness.Run("train", "--config", broken), "invalid JSON");
    }

    [Fact]
    public void Bad_data_files_exit_2()
    {
        AssertBadInput(CliHarness.Run("train", "--data", Path.Combine(run.Root, "absent.inter")), "absent.inter");
    }

    [Fact]
    public void Bad_run_folders_and_histories_exit_2()
    {
        AssertBadInput(CliHarness.Run("recommend", "--run", Path.Combine(run.Root, "nope"), "--history", "1"), "no such run folder");
        AssertBadInput(CliHarness.Run("recommend", "--run", run.Folder.Root, "--history", "not-an-item"), "item \"not-an-item\" is not in the run's dataset");
        var text = Path.Combine(run.Root, "weights.txt");
        File.WriteAllText(text, "not weights");
        AssertBadInput(CliHarness.Run("import", "--weights", text, "--out", Path.Combine(run.Root, "x")), "neither a safetensors file");
    }

    [Fact]
    public void Resuming_with_another_model_or_a_corrupt_checkpoint_is_a_clear_error()
    {
        AssertBadInput(CliHarness.Run("train", "--resume", run.Folder.Root, "--dim", "32"), "dim 16 -> 32");
        AssertBadInput(CliHarness.Run("train", "--resume", run.Folder.Root, "--model", "sasrec"), "model recgrela -> sasrec");

        var copy = Path.Combine(run.Root, "corrupt-run");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(run.Folder.Root))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        var last = Path.Combine(copy, "last.ckpt");
        var bytes = File.ReadAllBytes(last);
        File.WriteAllBytes(last, bytes[..(bytes.Length - 100)]);
        AssertBadInput(CliHarness.Run("train", "--resume", copy), "truncated");
        bytes[200] ^= 0xFF;
        File.WriteAllBytes(last, bytes);
        AssertBadInput(CliHarness.Run("train", "--resume", copy), "checksum");
    }

    [Fact]
    public void Weights_that_do_not_fit_the_asked_architecture_exit_2_listing_the_tensors()
    {
        var pt = Path.Combine(run.Root, "misfit.pt");
        Assert.Equal(0, CliHarness.Run("export", "--run", run.Folder.Root, "--format", "pt", "--out", pt).ExitCode);
        AssertBadInput(CliHarness.Run("import", "--weights", pt, "--dim", "32", "--heads", "2", "--out", Path.Combine(run.Root, "misfit")),
            "the weights do not fit this model", "\"item_embedding.weight\" has shape [", ", 16], expected [");
    }

    [Fact]
    public void A_diverging_loss_exits_1_and_says_where()
    {
        var folder = Path.Combine(run.Root, "diverging");
        // The largest learning rate accepted, without warm-up or clipping, blows the weights up within the first epoch.
        var result = CliHarness.Run(CliHarness.Train(folder, "--lr", "10", "--warmup-steps", "0", "--clip-norm", "0", "--epochs", "2"));
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("training stopped: ", result.Err);
        Assert.Matches(@"in epoch \d+, batch \d+ of \d+ \(step \d+\)", result.Err);
        Assert.Contains("lower learning rate", result.Err);
        Assert.False(File.Exists(Path.Combine(folder, "metrics.json")));
    }

    [Fact]
    public void Doctor_reports_the_engine()
    {
        var result = CliHarness.Run("doctor", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var report = JsonDocument.Parse(result.Out);
        Assert.Equal("ok", report.RootElement.GetProperty("native_libraries").GetString());
        Assert.StartsWith("cpu", report.RootElement.GetProperty("backend_package").GetString());
        Assert.False(report.RootElement.GetProperty("cuda_available").GetBoolean());
    }

    [Fact]
    public void Train_help_lists_every_option_of_the_contract()
    {
        var result = CliHarness.Run("train", "--help");
        Assert.Equal(0, result.ExitCode);
        foreach (var option in new[] { "--data", "--format", "--model", "--attention", "--epochs", "--patience", "--batch-size", "--lr", "--max-len",
                     "--dim", "--layers", "--heads", "--dropout", "--device", "--threads", "--seed", "--config", "--out", "--resume", "--json" })
            Assert.Contains(option, result.Out);
    }
}
