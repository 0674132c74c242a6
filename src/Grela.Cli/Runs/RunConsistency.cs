using System.Globalization;
using System.Text.Json;
using Grela.Errors;
using Grela.Runs;

namespace Grela.Cli.Runs;

/// <summary>
/// A run folder is one run: config.json, best.ckpt and last.ckpt agree on the model, its
/// configuration (up to the keys a resume may change) and the dataset. A checkpoint copied in from
/// another run is refused before it can overwrite anything.
/// </summary>
internal static class RunConsistency
{
    /// <summary>Keys that may change when a run is resumed; any other difference is a different run.</summary>
    public static readonly IReadOnlySet<string> ResumableKeys = new HashSet<string> { "epochs", "patience", "device", "threads", "workers", "keep-epochs" };

    /// <summary>Every non-resumable key whose value differs, as "key: a -> b".</summary>
    public static IReadOnlyList<string> ConfigChanges(TrainingConfig was, TrainingConfig now) =>
        [.. ConfigCatalogue.Keys
            .Where(k => !ResumableKeys.Contains(k.Name) && !Equals(k.Get(was), k.Get(now)))
            .Select(k => $"{k.Name} {Show(k.Get(was))} -> {Show(k.Get(now))}")];

    /// <summary>Refuses a folder whose config.json or best.ckpt belongs to another run than <paramref name="last"/>.</summary>
    public static void Check(RunFolder folder, CheckpointHeader last)
    {
        var problems = new List<string>();
        if (!File.Exists(folder.Config))
            problems.Add("config.json is missing");
        else
        {
            var config = ReadConfig(folder.Config);
            problems.AddRange(ConfigChanges(config, last.Config).Select(c => $"config.json and last.ckpt differ in {c}"));
        }
        if (File.Exists(folder.Best))
        {
            var best = CheckpointFile.Read(folder.Best).Header;
            // A run resumed across the fingerprint change has a format-1 best beside a current last.
            if (ModelFingerprint.IsCurrent(best.ModelHash) && ModelFingerprint.IsCurrent(last.ModelHash) && best.ModelHash != last.ModelHash)
                problems.Add("best.ckpt and last.ckpt were written for different models (model hashes differ)");
            problems.AddRange(ConfigChanges(best.Config, last.Config).Select(c => $"best.ckpt and last.ckpt differ in {c}"));
            problems.AddRange(best.Dataset.Differences(best.ItemTokens, last.Dataset, last.ItemTokens).Select(d => $"best.ckpt and last.ckpt differ in the dataset: {d}"));
            if (best.Progress.Epoch > last.Progress.Epoch)
                problems.Add($"best.ckpt (epoch {best.Progress.Epoch}) is newer than last.ckpt (epoch {last.Progress.Epoch})");
        }
        if (problems.Count > 0)
            throw new CheckpointException(
                $"--resume {folder.Root}: the run folder is inconsistent (were files copied in from another run?): {string.Join("; ", problems)}");
    }

    private static TrainingConfig ReadConfig(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(Grela.IO.InputFile.ReadAllBytes(path, "a run's config.json", maxBytes: 1 << 20));
            return ConfigJson.FromJson(path, document.RootElement);
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{path}: unreadable run configuration ({e.Message})", e);
        }
    }

    public static string Show(object? value) => value switch
    {
        null => "(built-in synthetic)",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
