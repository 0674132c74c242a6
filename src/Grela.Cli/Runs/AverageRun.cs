using System.Globalization;
using Grela.Errors;
using Grela.Host;
using Grela.Runs;
using Grela.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Cli.Runs;

/// <summary>What `grela average` was asked: the run, its first and last epoch (inclusive), which weights, the new folder.</summary>
internal sealed record AverageRequest(string Run, int First, int Last, CheckpointWeights Weights, string Out);

/// <summary>The folder written, the epochs averaged and the weights each contributed.</summary>
internal sealed record AverageResult(RunFolder Folder, string Model, IReadOnlyList<int> Epochs, CheckpointWeights Weights, long Step);

/// <summary>
/// `grela average`: the element-wise mean of the weights a run kept at the end of consecutive epochs
/// (`keep-epochs`), written as a new run folder (config.json + best.ckpt) that evaluate, recommend,
/// serve and export accept: weight averaging over epochs in the manner of stochastic weight averaging,
/// chosen after training instead of fixed before it. The sum is kept in double precision, so the
/// order of the epochs does not change the result.
/// </summary>
internal static class AverageRun
{
    /// <summary>At most this many checkpoints are read (each is loaded whole, one at a time).</summary>
    public const int MaxEpochs = 10_000;

    /// <summary>Parses "A-B" or "A" (epochs as history.csv numbers them, from 0).</summary>
    public static (int First, int Last) ParseEpochs(string text)
    {
        var parts = text.Split('-');
        if (parts.Length is 1 or 2 && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            var first = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var last = int.Parse(parts[^1], CultureInfo.InvariantCulture);
            if (first <= last && last - first < MaxEpochs)
                return (first, last);
        }
        throw new UserInputException($"--epochs {text}: expected a range FIRST-LAST of epochs as history.csv numbers them (from 0, FIRST <= LAST, at most {MaxEpochs:N0} epochs) or one epoch");
    }

    public static AverageResult Execute(AverageRequest request)
    {
        var source = new RunFolder(request.Run);
        if (!Directory.Exists(source.Root))
            throw new UserInputException($"--run {request.Run}: no such run folder");
        var folder = new RunFolder(request.Out);
        if (folder.Occupant != RunFolderOccupant.Nothing || Directory.Exists(folder.Root) && Directory.EnumerateFileSystemEntries(folder.Root).Any())
            throw new UserInputException($"--out {request.Out}: expected a new or empty folder for the averaged run");
        var epochs = Enumerable.Range(request.First, request.Last - request.First + 1).ToArray();
        var missing = epochs.Where(e => !IsRegularFile(source.EpochCheckpoint(e))).ToArray();
        if (missing.Length > 0)
            throw new UserInputException(
                $"--run {request.Run}: no checkpoint for epoch {string.Join(", ", missing.Take(5))}{(missing.Length > 5 ? ", ..." : "")} " +
                $"(expected {source.EpochCheckpoint(missing[0])}: runs keep one per epoch only when trained with --keep-epochs)");

        var first = Open(source.EpochCheckpoint(epochs[0]));
        var config = first.Header.Config;
        var itemCount = first.Header.Dataset.Items + 1;
        var factory = ModelRegistry.Get(config.Model);
        using var model = factory.Create(config, itemCount, CPU);
        var hash = ModelFingerprint.Of(ModelFingerprint.Hyperparameters(config, itemCount), model.Module);
        var parameters = model.Module.parameters().ToArray();
        var sums = parameters.Select(p => zeros_like(p, dtype: ScalarType.Float64).DetachFromDisposeScope()).ToArray();
        CheckpointHeader header = first.Header;
        try
        {
            using var noGrad = no_grad();
            foreach (var epoch in epochs)
            {
                using var scope = NewDisposeScope();
                var path = source.EpochCheckpoint(epoch);
                var checkpoint = epoch == epochs[0] ? first : Open(path);
                // Only epochs of one run average meaningfully: same model (hash), same data, same config.
                if (checkpoint.Header.Dataset != first.Header.Dataset || RunConsistency.ConfigChanges(config, checkpoint.Header.Config).Count > 0)
                    throw new CheckpointException($"{path}: written by another run than {source.EpochCheckpoint(epochs[0])} (its config or dataset differs)");
                checkpoint.LoadWeights(model.Module, hash, path, request.Weights);
                for (var i = 0; i < parameters.Length; i++)
                    sums[i].add_(parameters[i].to(ScalarType.Float64));
                header = checkpoint.Header;
            }
            using var meanScope = NewDisposeScope();
            for (var i = 0; i < parameters.Length; i++)
                parameters[i].copy_(sums[i].div(epochs.Length).to(parameters[i].dtype));
        }
        finally
        {
            foreach (var s in sums)
                s.Dispose();
        }
        if (FiniteState.FirstNonFinite(model.Module) is { } bad)
            throw new CheckpointException($"--run {request.Run}: the average of tensor \"{bad}\" is not finite; nothing written");

        // Written in a sibling folder first and moved into place, so a failure leaves no half run behind.
        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder.Root));
        var staging = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Environment.ProcessId}.tmp");
        try
        {
            var staged = new RunFolder(staging);
            Directory.CreateDirectory(staged.Root);
            AtomicFile.WriteAllText(staged.Config, ConfigJson.ToText(config) + "\n");
            CheckpointFile.Capture(header, model.Module, optimizer: null).Write(staged.Best);
            if (Directory.Exists(target))
                Directory.Delete(target);
            Directory.Move(staged.Root, target);
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
        return new AverageResult(folder, config.Model, epochs, request.Weights, header.Progress.Step);
    }

    private static CheckpointFile Open(string path)
    {
        var checkpoint = CheckpointFile.Read(path);
        checkpoint.RequirePlausibleSize(path);
        return checkpoint;
    }

    private static bool IsRegularFile(string path)
    {
        var info = new FileInfo(path);
        return info.Exists && (info.Attributes & (FileAttributes.Directory | FileAttributes.Device | FileAttributes.ReparsePoint)) == 0;
    }
}
