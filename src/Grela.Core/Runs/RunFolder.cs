using Grela.Training;

namespace Grela.Runs;

/// <summary>
/// The files of one run folder (a contract with users and scripts):
/// config.json, best.ckpt, last.ckpt, history.csv, metrics.json, train.log, curve.png, and with
/// `keep-epochs` one checkpoint per epoch under epochs/.
/// </summary>
public sealed record RunFolder(string Root)
{
    public string Config => Path.Combine(Root, "config.json");
    public string Best => Path.Combine(Root, "best.ckpt");
    public string Last => Path.Combine(Root, "last.ckpt");
    public string History => Path.Combine(Root, "history.csv");
    public string Metrics => Path.Combine(Root, "metrics.json");
    public string Log => Path.Combine(Root, "train.log");
    public string Curve => Path.Combine(Root, "curve.png");

    public string Checkpoint(CheckpointKind kind) => kind == CheckpointKind.Best ? Best : Last;

    /// <summary>The folder of the per-epoch checkpoints a run keeps with `keep-epochs`.</summary>
    public string Epochs => Path.Combine(Root, "epochs");

    /// <summary>The checkpoint written at the end of <paramref name="epoch"/> (0-based, as history.csv numbers it).</summary>
    public string EpochCheckpoint(int epoch) => Path.Combine(Epochs, $"epoch-{epoch:D3}.ckpt");

    /// <summary>A fresh folder name under runs/: model, dataset and UTC time.</summary>
    public static RunFolder Fresh(string model, string dataset, DateTime utcNow) =>
        new(Path.Combine("runs", $"{model}-{dataset}-{utcNow:yyyyMMdd-HHmmss}"));

    /// <summary>What stands at <see cref="Root"/> now: nothing a new run would overwrite, a file, or a run.</summary>
    public RunFolderOccupant Occupant =>
        File.Exists(Root) ? RunFolderOccupant.File
        : File.Exists(Config) || File.Exists(Last) || File.Exists(Best) ? RunFolderOccupant.Run
        : RunFolderOccupant.Nothing;

    /// <summary>
    /// Refuses a path that is a file or a folder that already holds a run. The message names the
    /// folder; a shell that knows which option gave the path says so itself (see <see cref="Occupant"/>).
    /// </summary>
    public RunFolder CheckNew() => Occupant switch
    {
        RunFolderOccupant.File => throw new Errors.UserInputException($"{Root}: a file of that name exists; expected a folder for the run"),
        RunFolderOccupant.Run => throw new Errors.UserInputException($"{Root}: the folder already holds a run; choose another folder or resume that run"),
        _ => this,
    };

    /// <summary>Creates the folder after <see cref="CheckNew"/>.</summary>
    public RunFolder CreateNew()
    {
        CheckNew();
        Directory.CreateDirectory(Root);
        return this;
    }
}

/// <summary>What stands at a run folder's path before a new run is written there.</summary>
public enum RunFolderOccupant
{
    /// <summary>Nothing a new run would overwrite (no path, or a folder without run files).</summary>
    Nothing,
    /// <summary>A file, where a folder is expected.</summary>
    File,
    /// <summary>A folder holding config.json, best.ckpt or last.ckpt.</summary>
    Run,
}
