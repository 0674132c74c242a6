using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Grela.Data.Formats;
using Grela.Errors;
using Grela.IO;
using Grela.Tests.Cli;
using Grela.Tests.Training;

namespace Grela.Tests.Hardening;

/// <summary>Issue 10: no input file blocks, reads without bound, merges ids or sizes a model from unchecked numbers.</summary>
[Collection(TorchSerial.Name)]
public sealed class InputHardeningTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("grela-input-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_root, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void AssertBadInput(CliResult result, params string[] fragments)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        foreach (var fragment in fragments)
            Assert.Contains(fragment, result.Err + result.Out);
        Assert.DoesNotContain("   at ", result.Err + result.Out);
        Assert.DoesNotContain("Exception", result.Err + result.Out);
    }

    private string Fifo()
    {
        var path = Path.Combine(_root, $"fifo-{Guid.NewGuid():N}");
        using var mkfifo = Process.Start("mkfifo", [path])!;
        mkfifo.WaitForExit();
        return path;
    }

    [Fact]
    public void Fifos_and_devices_are_refused_at_once_by_every_reader()
    {
        var fifo = Fifo();
        foreach (var path in new[] { fifo, "/dev/zero", "/dev/urandom" })
        {
            var clock = Stopwatch.StartNew();
            AssertBadInput(CliHarness.Run("data", "check", path), path, "not a regular file");
            Assert.Contains("not a regular file", Assert.Throws<UserInputException>(() => InteractionFileReader.Read(path)).Message);
            AssertBadInput(CliHarness.Run("import", "--weights", path, "--out", Path.Combine(_root, "x")), path, "not a regular file");
            AssertBadInput(CliHarness.Run("train", "--config", path), path, "not a regular file");
            Assert.Throws<UserInputException>(() => Grela.Runs.CheckpointFile.Read(path));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"{path} took {clock.Elapsed}");
        }
    }

    [Fact]
    public void Invalid_utf8_in_ids_is_an_error_with_the_line_never_a_merge()
    {
        // "caf\xE9" and "caf\xE8" (Latin-1) would both decode to "caf\uFFFD" and merge into one item.
        var lines = new List<byte[]>();
        for (var u = 0; u < 8; u++)
            lines.Add([.. Encoding.ASCII.GetBytes($"u{u} a b c d "), .. "caf"u8, 0xE9, (byte)' ', .. "caf"u8, 0xE8, (byte)'\n']);
        var path = Write("latin1.txt", [.. lines.SelectMany(l => l)]);
        var error = Assert.Throws<UserInputException>(() => InteractionFileReader.Read(path, InteractionFormat.UserLines));
        Assert.StartsWith($"{path}:1: invalid UTF-8", error.Message);
    }

    [Fact]
    public void A_line_longer_than_the_bound_is_a_clear_error()
    {
        var error = Assert.Throws<UserInputException>(() => InputFile.SplitLines("1 2\n1 3333333333\n"u8, "f.txt", maxLineBytes: 8));
        Assert.Equal("f.txt:2: the line is longer than 8 bytes (the limit for one line)", error.Message);
        Assert.Equal(["1 2", "1 3"], InputFile.SplitLines([0xEF, 0xBB, 0xBF, .. "1 2\r\n1 3"u8], "f.txt", maxLineBytes: 8));
    }

    [Fact]
    public void Config_files_refuse_repeated_keys_second_documents_and_deep_nesting()
    {
        string Config(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));
        AssertBadInput(CliHarness.Run("train", "--config", Config("dup.json", "{\"epochs\": 2, \"epochs\": 3}")), "dup.json", "'epochs' is given twice");
        AssertBadInput(CliHarness.Run("train", "--config", Config("both.yaml", "batch-size: 2\nbatch_size: 3\n")), "both.yaml", "as 'batch-size' and as 'batch_size'");
        AssertBadInput(CliHarness.Run("train", "--config", Config("two.yaml", "epochs: 2\n---\nepochs: 3\n")), "two.yaml", "second YAML document");
        AssertBadInput(CliHarness.Run("train", "--config", Config("deep.yaml", "epochs: " + new string('[', 100_000) + new string(']', 100_000) + "\n")), "deep.yaml", "nesting deeper");
        AssertBadInput(CliHarness.Run("train", "--config", Config("deep.json", "{\"epochs\": " + new string('[', 10_000) + new string(']', 10_000) + "}")), "deep.json");
        AssertBadInput(CliHarness.Run("train", "--config", Config("range.yaml", "dropout: 1.5\n")), "range.yaml", "'dropout' must be in [0, 1)");
    }

    [Theory]
    [InlineData("--micro-batch", "-5", "command line: --micro-batch must be 0")]
    [InlineData("--lr", "NaN", "command line: --lr")]
    [InlineData("--lr", "-Infinity", "command line: --lr")]
    [InlineData("--dim", "2147483647", "command line: --dim must be at most")]
    [InlineData("--max-len", "100000000", "command line: --max-len must be at most")]
    [InlineData("--clip-norm", "NaN", "command line: --clip-norm")]
    public void Every_numeric_option_is_range_checked(string option, string value, string message) =>
        AssertBadInput(CliHarness.Run("train", option, value), message, "command line");

    [Fact]
    public void An_odd_head_width_for_rotary_encoding_is_a_clean_error() =>
        AssertBadInput(CliHarness.Run("train", "--dim", "15", "--heads", "1"), "must be even for recgrela");

    [Fact]
    public void Arguments_starting_with_at_are_not_response_files()
    {
        var secret = Write("secret.txt", "TOPSECRET-LINE\n"u8.ToArray());
        var result = CliHarness.Run("train", "--model", "@" + secret);
        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("TOPSECRET-LINE", result.Err + result.Out);
    }

    [Fact]
    public void Safetensors_that_claim_huge_or_overflowing_shapes_are_refused_before_allocation()
    {
        static byte[] File(string header)
        {
            var json = Encoding.UTF8.GetBytes(header);
            return [.. BitConverter.GetBytes((ulong)json.Length), .. json];
        }
        var empty = Write("zero.safetensors", File("{\"item_embedding.weight\":{\"dtype\":\"F32\",\"shape\":[3000000000,0],\"data_offsets\":[0,0]}}"));
        AssertBadInput(CliHarness.Run("import", "--weights", empty, "--out", Path.Combine(_root, "a")), "zero-size dimension");
        var overflow = Write("overflow.safetensors", File("{\"item_embedding.weight\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4611686018427387904],\"data_offsets\":[0,0]}}"));
        AssertBadInput(CliHarness.Run("import", "--weights", overflow, "--out", Path.Combine(_root, "b")), "more elements than a 64-bit count holds");
    }

    [Fact]
    public void A_pt_zip_bomb_and_a_truncated_zip_are_refused()
    {
        var bomb = Path.Combine(_root, "bomb.pt");
        using (var zip = ZipFile.Open(bomb, ZipArchiveMode.Create))
        {
            using var stream = zip.CreateEntry("archive/data.pkl", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 40; i++)
                stream.Write(zeros);
        }
        Assert.True(new FileInfo(bomb).Length < 1 << 20);
        AssertBadInput(CliHarness.Run("import", "--weights", bomb, "--out", Path.Combine(_root, "c")), "data.pkl");
        var bytes = System.IO.File.ReadAllBytes(bomb);
        var truncated = Write("truncated.pt", bytes[..(bytes.Length / 2)]);
        AssertBadInput(CliHarness.Run("import", "--weights", truncated, "--out", Path.Combine(_root, "d")), truncated);
    }

    [Fact]
    public void A_run_that_cannot_fit_in_memory_is_refused_with_the_estimate()
    {
        var result = CliHarness.Run("train", "--data", CliHarness.TinyTraining[1], "--max-len", "1000000", "--dim", "1024", "--heads", "2",
            "--layers", "1", "--epochs", "1", "--out", Path.Combine(_root, "huge"));
        AssertBadInput(result, "training needs about", "activations", "--ignore-memory-estimate");
        Assert.False(Directory.Exists(Path.Combine(_root, "huge")));
        var estimate = Grela.Runs.MemoryEstimate.For(new Grela.Runs.TrainingConfig { MaxLen = 200, BatchSize = 128 }, 3417, 98, Grela.Models.TrainingStyle.AllPositions, softmaxAttention: false);
        Assert.InRange(estimate.Total, 1e9m, 3e9m); // the ML-1M causal default: about 1.5 GB, allowed on a small machine
        var slotted = Grela.Runs.MemoryEstimate.For(new Grela.Runs.TrainingConfig { MaxLen = 200, BatchSize = 128, SummarySlots = 2 }, 3417, 98, Grela.Models.TrainingStyle.AllPositions, softmaxAttention: false);
        Assert.Equal(estimate.StateBytes, slotted.StateBytes);
        Assert.Equal(estimate.ActivationBytes + 2m * 98 * 200 * 2 * 64 * 3 * 5 * 4, slotted.ActivationBytes); // 2 slots, D 64, blocks 2 to 4
    }

    [Fact]
    public void Train_takes_the_data_options_data_stats_and_check_take()
    {
        var random = new Random(5);
        var data = Write("pairs.txt", Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Range(1, 40)
            .Select(u => $"u{u} " + string.Join(' ', Enumerable.Range(0, 4).Select(_ => $"i{random.Next(10)}")))) + "\n"));
        var folder = Path.Combine(_root, "filtered");
        var result = CliHarness.Run("train", "--data", data, "--min-user", "3", "--min-item", "2", "--dedup", "--max-len", "4", "--dim", "8",
            "--layers", "1", "--heads", "2", "--batch-size", "16", "--epochs", "1", "--out", folder);
        Assert.True(result.ExitCode == 0, result.ToString());
        var config = File.ReadAllText(Path.Combine(folder, "config.json"));
        Assert.Contains("\"min-user\": 3", config);
        Assert.Contains("\"dedup\": true", config);
        AssertBadInput(CliHarness.Run("train", "--min-rating", "NaN"), "command line: --min-rating");
        AssertBadInput(CliHarness.Run("train", "--min-user", "-1"), "command line: --min-user");
        AssertBadInput(CliHarness.Run("data", "stats", data, "--min-rating", "NaN"), "command line: --min-rating");
    }

    [Fact]
    public void Data_check_does_not_call_valid_a_file_the_default_filter_empties()
    {
        var path = Write("sparse.txt", "u1 i1 i2\nu2 i3 i4\nu3 i5 i6\n"u8.ToArray());
        var raw = Grela.Data.DatasetLoader.ReadRaw(path);
        var error = Assert.Throws<UserInputException>(() => Grela.Data.FileCheck.Run(raw, Grela.Data.DataOptions.Default));
        Assert.Contains("removes every interaction", error.Message);
        AssertBadInput(CliHarness.Run("data", "check", path), path, "removes every interaction");
        Assert.NotEmpty(Grela.Data.FileCheck.Run(raw, Grela.Data.DataOptions.Unfiltered));
    }
}
