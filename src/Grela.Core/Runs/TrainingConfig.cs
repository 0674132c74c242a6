using Grela.Data.Batching;
using Grela.Training;

namespace Grela.Runs;

/// <summary>
/// The fully resolved configuration of one training run: every value the run depends on, after
/// command line, config file and defaults were merged (see <see cref="ConfigResolution"/>). It is
/// written to the run folder's config.json before training starts and carried by every checkpoint.
/// Key names (kebab-case, as on the command line) are listed in <see cref="ConfigCatalogue"/>.
/// </summary>
public sealed record TrainingConfig
{
    /// <summary>Interaction file or folder; null means the built-in synthetic dataset.</summary>
    public string? Data { get; init; }
    /// <summary>Interaction file format (auto detects it from the name and content).</summary>
    public string Format { get; init; } = "auto";
    /// <summary>Model name: one of <see cref="ConfigCatalogue.Models"/> (recgrela, sasrec, gru4rec, linrec, mamba4rec).</summary>
    public string Model { get; init; } = Models.RecGrela.RecGrelaRecommender.ModelName;
    /// <summary>causal: all positions in one pass; global: the official prefix samples, right padding.</summary>
    public string Attention { get; init; } = "causal";
    /// <summary><see cref="Attention"/> parsed; resolution admits only the spellings of <see cref="Models.RecGrela.AttentionModes"/>.</summary>
    public Models.RecGrela.AttentionMode AttentionMode => Models.RecGrela.AttentionModes.Parse(Attention);
    /// <summary>auto, positions or prefixes: what one training sample is (see <see cref="TrainingSamples"/>).</summary>
    public string Samples { get; init; } = "auto";
    /// <summary>
    /// The style training uses: <see cref="Samples"/> under <see cref="AttentionMode"/> (auto: prefixes
    /// in global mode, every position otherwise). The one policy `train` and the bench ask.
    /// </summary>
    public Models.TrainingStyle Style => TrainingSampleNames.StyleOf(TrainingSampleNames.Parse(Samples), AttentionMode);
    public int Epochs { get; init; } = 300;
    /// <summary>Optimizer steps after which training ends, whatever the epoch (0: no limit): the last epoch is cut short, validated and checkpointed like a full one.</summary>
    public int MaxSteps { get; init; }
    /// <summary>Epochs without improvement of validation NDCG@10 before training stops.</summary>
    public int Patience { get; init; } = 20;
    public int BatchSize { get; init; } = 2048;
    /// <summary>
    /// Rows per forward/backward pass; a batch's micro-batch gradients are summed (weighted by their
    /// targets) before one optimizer step, so the update equals the whole batch's. 0: automatic.
    /// </summary>
    public int MicroBatch { get; init; }
    public double Lr { get; init; } = 1e-3;
    /// <summary>constant, cosine or linear: how the learning rate moves after warm-up (see <see cref="Training.LrSchedule"/>).</summary>
    public string LrSchedule { get; init; } = "constant";
    /// <summary><see cref="LrSchedule"/> parsed; resolution admits only the spellings of <see cref="Training.LrSchedule.DecayNames"/>.</summary>
    public LrDecay LrDecay => Training.LrSchedule.ParseDecay(LrSchedule);
    /// <summary>Optimizer steps of linear warm-up from lr/warmup-steps to lr (0: none).</summary>
    public int WarmupSteps { get; init; }
    /// <summary>The decayed learning rate at the last planned step, as a fraction of lr.</summary>
    public double LrFloor { get; init; } = 0.1;
    /// <summary>Largest global gradient L2 norm before a step (0: no clipping).</summary>
    public double ClipNorm { get; init; }
    /// <summary>Decoupled (AdamW-style) weight decay of the weight matrices and embeddings, per unit of learning rate (0: off).</summary>
    public double WeightDecay { get; init; }
    /// <summary>Decay of the exponential moving average of the weights that validation, `best` and inference use (0: off, the training weights).</summary>
    public double EmaDecay { get; init; }
    /// <summary>Also keep every epoch's end-of-epoch checkpoint (RunFolder.EpochCheckpoint), for `grela average` and later inspection.</summary>
    public bool KeepEpochs { get; init; }
    /// <summary>all: every window of a long history is trained on; last: only the newest (all-position training).</summary>
    public string Windows { get; init; } = "all";
    /// <summary><see cref="Windows"/> parsed; resolution admits only the spellings of <see cref="TrainingWindowNames"/>.</summary>
    public TrainingWindows TrainingWindows => TrainingWindowNames.Parse(Windows);
    /// <summary>All-position training: batches per length-sorted run of the shuffled order, so padding can be cut (0: off).</summary>
    public int LengthBuckets { get; init; }
    /// <summary>All-position training with length buckets: targets per batch, batches then holding as many windows as that takes (0: BatchSize windows a batch).</summary>
    public int BatchTargets { get; init; }
    /// <summary>All-position training with all windows: targets between the ends of a history's windows; each window trains its newest that many, the rest is context (0: MaxLen, no overlap).</summary>
    public int WindowStride { get; init; }
    /// <summary>Window length N: the last MaxLen items of a history are used.</summary>
    public int MaxLen { get; init; } = 200;
    public int Dim { get; init; } = 64;
    /// <summary>Keep users with at least this many interactions (RecBole's 5-core by default; 0 = off).</summary>
    public int MinUser { get; init; } = Grela.Data.DataOptions.Default.MinUserInteractions;
    /// <summary>Keep items with at least this many interactions (0 = off).</summary>
    public int MinItem { get; init; } = Grela.Data.DataOptions.Default.MinItemInteractions;
    /// <summary>Keep only interactions rated at least this (null: all, implicit feedback).</summary>
    public double? MinRating { get; init; }
    /// <summary>Keep only the oldest interaction of each repeated user-item pair.</summary>
    public bool Dedup { get; init; }
    public int Layers { get; init; } = 4;
    public int Heads { get; init; } = 4;
    public double Dropout { get; init; } = 0.1;
    public double DropPath { get; init; } = 0.1;
    /// <summary>How drop path draws: one draw per sequence, or one per position (ConfigCatalogue.DropPathDraws).</summary>
    public string DropPathDraw { get; init; } = "sequence";
    /// <summary><see cref="DropPathDraw"/> parsed; resolution admits only the spellings of <see cref="Grela.Models.RecGrela.DropPathDrawNames"/>.</summary>
    public Grela.Models.RecGrela.DropPathDraw DropPathDrawing => Grela.Models.RecGrela.DropPathDrawNames.Parse(DropPathDraw);
    /// <summary>RecGRELA causal mode: learned register slots in every block's attention sums (0: none).</summary>
    public int Registers { get; init; }
    /// <summary>RecGRELA causal mode: summary slots each position of blocks 2 on reads from the block before (0: none).</summary>
    public int SummarySlots { get; init; }
    /// <summary>Training-only: the rate at which input items (all but each row's last) are replaced by padding in a step (0: off).</summary>
    public double ItemDropout { get; init; }
    /// <summary>auto, cpu or cuda (see <see cref="Host.DeviceSelection"/>).</summary>
    public string Device { get; init; } = "auto";
    /// <summary>CPU threads for tensor kernels; 0 keeps the library default.</summary>
    public int Threads { get; init; }
    /// <summary>
    /// Processes that share each training step (data-parallel: each takes part of the batch's rows
    /// and its share of the threads); 1: this process alone; 0: automatic (two on a CPU run with two
    /// or more threads, else one).
    /// </summary>
    public int Workers { get; init; }
    public long Seed { get; init; } = 2020;

    /// <summary>
    /// How the data layer reads and filters <see cref="Data"/>. Every command that loads a dataset
    /// maps the keys here, so the same keys never select different interactions.
    /// </summary>
    public Grela.Data.DataOptions ToDataOptions() =>
        new(Grela.Data.Formats.InteractionFormatNames.Parse(Format), MinUser, MinItem, MinRating, Dedup);

    /// <summary>Short dataset name for folder names: the file or folder name, or "synthetic" for any synthetic spec.</summary>
    public string DatasetName =>
        Data is null || Data.StartsWith("synthetic", StringComparison.OrdinalIgnoreCase)
            ? "synthetic"
            : Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(Data));
}
