using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Grela.Runs;

namespace Grela.Tests.Cli;

/// <summary>Runs Debian's python3 with PyTorch (package python3-torch); null when it is not installed.</summary>
internal static class PyTorch
{
    public const string Python = "/usr/bin/python3";

    public static readonly bool Available = Probe();

    public const string Missing = "PyTorch is not installed for /usr/bin/python3 (apt-get install python3-torch); this opt-in interop test needs it";

    public static (int ExitCode, string Out) Run(string script, params string[] args)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }

    private static bool Probe()
    {
        try
        {
            return File.Exists(Python) && Run("import torch").ExitCode == 0;
        }
        catch (Exception)
        {
            return false;
        }
    }
}

/// <summary>A fact that runs only where PyTorch is importable, skipped with the reason otherwise.</summary>
public sealed class PyTorchFactAttribute : FactAttribute
{
    public PyTorchFactAttribute()
    {
        if (!PyTorch.Available) Skip = PyTorch.Missing;
    }
}

[Collection(TrainedRunCollection.Name)]
public sealed class PyTorchInteropTests(TrainedRunFixture run)
{
    private const string Resave = """
        import json, sys, torch
        state = torch.load(sys.argv[1])
        torch.save(state, sys.argv[2])
        print(json.dumps({name: list(tensor.shape) for name, tensor in state.items()}))
        """;

    [PyTorchFact]
    public void PyTorch_loads_the_exported_pt_and_its_own_save_imports_back_with_identical_scores()
    {
        var exported = Path.Combine(run.Root, "for-pytorch.pt");
        var resaved = Path.Combine(run.Root, "by-pytorch.pt");
        Assert.Equal(0, CliHarness.Run("export", "--run", run.Folder.Root, "--format", "pt", "--out", exported).ExitCode);
        var (code, output) = PyTorch.Run(Resave, exported, resaved);
        Assert.True(code == 0, output);

        var header = CheckpointFile.Read(run.Folder.Best).Header;
        using var shapes = JsonDocument.Parse(output);
        Assert.Equal(16, shapes.RootElement.GetProperty("item_embedding.weight")[1].GetInt32());
        Assert.Equal(header.Dataset.Items + 1, shapes.RootElement.GetProperty("item_embedding.weight")[0].GetInt32());
        Assert.True(shapes.RootElement.TryGetProperty("GRELA_block.0.attn.qk.weight", out _));

        var imported = Path.Combine(run.Root, "from-pytorch");
        var result = CliHarness.Run("import", "--weights", resaved, "--attention", "causal", "--heads", "2", "--out", imported);
        Assert.True(result.ExitCode == 0, result.ToString());
        var tokens = header.ItemTokens;
        var history = tokens.Skip(2).Take(6).ToArray();
        var original = Recommend(run.Folder.Root, string.Join(' ', history));
        var fromPyTorch = Recommend(imported, string.Join(' ', history.Select(t => tokens.IndexOf(t).ToString(CultureInfo.InvariantCulture))));
        Assert.Equal(original, fromPyTorch.Select(p => (tokens[int.Parse(p.Item, CultureInfo.InvariantCulture)], p.Score)));
    }

    private static (string Item, double Score)[] Recommend(string folder, string history)
    {
        var result = CliHarness.Run("recommend", "--run", folder, "--history", history, "--top", "10", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var answer = JsonDocument.Parse(result.Out);
        var items = answer.RootElement.GetProperty("items").EnumerateArray()
            .Select(i => i.ValueKind == JsonValueKind.Number ? i.GetInt64().ToString(CultureInfo.InvariantCulture) : i.GetString()!);
        var scores = answer.RootElement.GetProperty("scores").EnumerateArray().Select(s => s.GetDouble());
        return [.. items.Zip(scores)];
    }
}
