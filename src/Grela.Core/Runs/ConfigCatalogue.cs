using Grela.Training;

namespace Grela.Runs;

/// <summary>
/// Every configuration key a run accepts, in the order config.json lists them. Command-line options
/// carry the same names (<c>--batch-size</c> is key <c>batch-size</c>); config files may also write
/// them in snake_case (<c>batch_size</c>).
/// </summary>
public static class ConfigCatalogue
{
    /// <summary>
    /// Model names the command line accepts, in the order help and errors list them: RecGRELA, then
    /// the baselines. Derived, not written: the CLI's model registry holds one entry per name, in this
    /// order (a test checks it).
    /// </summary>
    public static readonly IReadOnlyList<string> Models = [Grela.Models.RecGrela.RecGrelaRecommender.ModelName, .. Grela.Models.Baselines.BaselineModels.Names];
    public static readonly IReadOnlyList<string> AttentionModes = Grela.Models.RecGrela.AttentionModes.Names;
    public static readonly IReadOnlyList<string> Devices = ["auto", "cpu", "cuda"];
    public static readonly IReadOnlyList<string> LrSchedules = Training.LrSchedule.DecayNames;
    public static readonly IReadOnlyList<string> WindowChoices = Data.Batching.TrainingWindowNames.Names;
    public static readonly IReadOnlyList<string> SampleChoices = Data.Batching.TrainingSampleNames.Names;
    public static readonly IReadOnlyList<string> DropPathDraws = Grela.Models.RecGrela.DropPathDrawNames.Names;
    /// <summary>Interaction file formats: auto, the data layer's canonical names, then its aliases.</summary>
    public static readonly IReadOnlyList<string> Formats = ["auto", .. Data.Formats.InteractionFormatNames.Canonical, "inter", "dat", "csv"];

    public static readonly IReadOnlyList<ConfigKey> Keys =
    [
        new("data", ConfigKind.Text, "interaction file, folder holding one, or synthetic[:users=N,items=N,...] (absent: the built-in synthetic dataset)",
            c => c.Data, (c, v) => c with { Data = (string?)v }, Nullable: true),
        new("format", ConfigKind.Choice, "interaction file format: auto (detected), atomic, movielens-dat, movielens-csv, user-lines or pairs",
            c => c.Format, (c, v) => c with { Format = (string)v! }, Formats),
        new("model", ConfigKind.Choice, "model to train",
            c => c.Model, (c, v) => c with { Model = (string)v! }, Models),
        new("attention", ConfigKind.Choice, "causal: every position in one pass; global: official prefix samples",
            c => c.Attention, (c, v) => c with { Attention = (string)v! }, AttentionModes),
        new("samples", ConfigKind.Choice, "training samples: auto (prefixes in global mode, positions otherwise), positions (every position of a window in one pass; causal only) or prefixes (one sample per history prefix, as RecBole trains)",
            c => c.Samples, (c, v) => c with { Samples = (string)v! }, SampleChoices),
        new("epochs", ConfigKind.Integer, "maximum number of training epochs",
            c => c.Epochs, (c, v) => c with { Epochs = (int)v! }),
        new("max-steps", ConfigKind.Integer, "stop after this many optimizer steps in all, validating the cut epoch as a full one (0: no limit); a decaying schedule is planned over the smaller of this and epochs x batches",
            c => c.MaxSteps, (c, v) => c with { MaxSteps = (int)v! }),
        new("patience", ConfigKind.Integer, "epochs without validation NDCG@10 improvement before stopping",
            c => c.Patience, (c, v) => c with { Patience = (int)v! }),
        new("batch-size", ConfigKind.Integer, "training samples per step",
            c => c.BatchSize, (c, v) => c with { BatchSize = (int)v! }),
        new("micro-batch", ConfigKind.Integer, "rows per forward/backward pass, gradients summed over a batch before one step (0: automatic, bounded memory)",
            c => c.MicroBatch, (c, v) => c with { MicroBatch = (int)v! }),
        new("lr", ConfigKind.Number, "Adam learning rate",
            c => c.Lr, (c, v) => c with { Lr = (double)v! }),
        new("lr-schedule", ConfigKind.Choice, "learning rate after warm-up: constant, or cosine/linear decay to lr x lr-floor at the last planned step (epochs x batches)",
            c => c.LrSchedule, (c, v) => c with { LrSchedule = (string)v! }, LrSchedules),
        new("warmup-steps", ConfigKind.Integer, "optimizer steps of linear learning-rate warm-up (0: none)",
            c => c.WarmupSteps, (c, v) => c with { WarmupSteps = (int)v! }),
        new("lr-floor", ConfigKind.Number, "final learning rate of a decaying schedule, as a fraction of lr, in [0, 1]",
            c => c.LrFloor, (c, v) => c with { LrFloor = (double)v! }),
        new("clip-norm", ConfigKind.Number, "clip the global gradient L2 norm to this before each step (0: off)",
            c => c.ClipNorm, (c, v) => c with { ClipNorm = (double)v! }),
        new("weight-decay", ConfigKind.Number, "decoupled weight decay of weight matrices and embeddings: each step scales them by 1 - lr x this (0: off)",
            c => c.WeightDecay, (c, v) => c with { WeightDecay = (double)v! }),
        new("ema-decay", ConfigKind.Number, "keep an exponential moving average of the weights with this decay, in [0, 1), for validation, the best checkpoint and inference (0: off)",
            c => c.EmaDecay, (c, v) => c with { EmaDecay = (double)v! }),
        new("keep-epochs", ConfigKind.Boolean, "also keep each epoch's checkpoint as epochs/epoch-NNN.ckpt (NNN: history.csv's epoch), for grela average",
            c => c.KeepEpochs, (c, v) => c with { KeepEpochs = (bool)v! }),
        new("windows", ConfigKind.Choice, "all-position training on long histories: all (every window, each target once an epoch) or last (newest window only)",
            c => c.Windows, (c, v) => c with { Windows = (string)v! }, WindowChoices),
        new("length-buckets", ConfigKind.Integer, "sort each run of this many batches by window length and cut trailing padding: all-position training, and prefix samples of causal RecGRELA (0: plain shuffle)",
            c => c.LengthBuckets, (c, v) => c with { LengthBuckets = (int)v! }),
        new("batch-targets", ConfigKind.Integer, "all-position training with length buckets: size batches in targets, about N a batch (short windows pack more users into one), instead of batch-size windows (0: off)",
            c => c.BatchTargets, (c, v) => c with { BatchTargets = (int)v! }),
        new("window-stride", ConfigKind.Integer, "all-position training with windows all: a long history's windows end this many targets apart and each trains only its newest stride targets, the older positions of the window being context (0: max-len, windows do not overlap)",
            c => c.WindowStride, (c, v) => c with { WindowStride = (int)v! }),
        new("min-user", ConfigKind.Integer, "keep users with at least N interactions (5-core; 0: off), as data stats/check read files",
            c => c.MinUser, (c, v) => c with { MinUser = (int)v! }),
        new("min-item", ConfigKind.Integer, "keep items with at least N interactions (0: off)",
            c => c.MinItem, (c, v) => c with { MinItem = (int)v! }),
        new("min-rating", ConfigKind.Number, "keep only interactions rated at least X (default: all)",
            c => c.MinRating, (c, v) => c with { MinRating = (double?)v }, Nullable: true),
        new("dedup", ConfigKind.Boolean, "keep only the oldest interaction of each repeated user-item pair",
            c => c.Dedup, (c, v) => c with { Dedup = (bool)v! }),
        new("max-len", ConfigKind.Integer, "history window length N",
            c => c.MaxLen, (c, v) => c with { MaxLen = (int)v! }),
        new("dim", ConfigKind.Integer, "hidden size D",
            c => c.Dim, (c, v) => c with { Dim = (int)v! }),
        new("layers", ConfigKind.Integer, "number of blocks",
            c => c.Layers, (c, v) => c with { Layers = (int)v! }),
        new("heads", ConfigKind.Integer, "attention heads (must divide dim)",
            c => c.Heads, (c, v) => c with { Heads = (int)v! }),
        new("dropout", ConfigKind.Number, "dropout rate in [0, 1)",
            c => c.Dropout, (c, v) => c with { Dropout = (double)v! }),
        new("drop-path", ConfigKind.Number, "stochastic depth rate of the attention branch in [0, 1)",
            c => c.DropPath, (c, v) => c with { DropPath = (double)v! }),
        new("drop-path-draw", ConfigKind.Choice, "RecGRELA: drop path drawn once per sequence (the branch goes for every position) or once per position",
            c => c.DropPathDraw, (c, v) => c with { DropPathDraw = (string)v! }, DropPathDraws),
        new("registers", ConfigKind.Integer, "RecGRELA causal mode: learned register slots every query attends to besides the real items (0: none)",
            c => c.Registers, (c, v) => c with { Registers = (int)v! }),
        new("item-dropout", ConfigKind.Number, "training only: rate in [0, 1) at which a step's input items (all but each history's last) are replaced by padding, as if deleted (0: off)",
            c => c.ItemDropout, (c, v) => c with { ItemDropout = (double)v! }),
        new("summary-slots", ConfigKind.Integer, "RecGRELA causal mode: slots per position that read the prefix's state in one block and enter the next block's sums at that position (0: none)",
            c => c.SummarySlots, (c, v) => c with { SummarySlots = (int)v! }),
        new("device", ConfigKind.Choice, "where tensors live",
            c => c.Device, (c, v) => c with { Device = (string)v! }, Devices),
        new("threads", ConfigKind.Integer, "CPU threads for tensor kernels (0: library default)",
            c => c.Threads, (c, v) => c with { Threads = (int)v! }),
        new("workers", ConfigKind.Integer, "processes that share each training step on the CPU, each with its part of the batch and of the threads (0: automatic, two on a CPU with two or more threads; 1: this process alone)",
            c => c.Workers, (c, v) => c with { Workers = (int)v! }),
        new("seed", ConfigKind.Integer, "seed of every random choice (initialisation, dropout, data order)",
            c => c.Seed, (c, v) => c with { Seed = (long)v! }, Wide: true),
    ];

    /// <summary>The key named <paramref name="name"/> (kebab- or snake_case, any letter case), if any.</summary>
    public static ConfigKey? Find(string name)
    {
        var canonical = name.Trim().Replace('_', '-').ToLowerInvariant();
        return Keys.FirstOrDefault(k => k.Name == canonical);
    }

    /// <summary>The known key closest to a misspelt one, for "did you mean" hints.</summary>
    public static string? Suggest(string name)
    {
        var canonical = name.Trim().Replace('_', '-').ToLowerInvariant();
        var best = Keys.Select(k => (k.Name, Distance: EditDistance(k.Name, canonical))).MinBy(p => p.Distance);
        return best.Distance <= 2 ? best.Name : null;
    }

    private static int EditDistance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
