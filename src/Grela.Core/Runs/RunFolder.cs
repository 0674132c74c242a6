using Grela.Training;

namespace Grela.Runs;

/// <summary>
/// The files of one run folder (a contract with users and scripts):
/// config.json, best.ckpt, last.ckpt, history.csv, metrics.json, train.log, curve.png.
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

    /// <summary>A fresh folder name under runs/: model, dataset and UTC time.</summary>
    public static RunFolder Fresh(string model, string dataset, DateTime utcNow) =>
        new(Path.Combine("runs", $"{model}-{dataset}-{utcNow:yyyyMMdd-HHmmss}"));

    /// <summary>Refuses a path that is a file or a folder that already holds a run (use --resume to continue it).</summary>
    public RunFolder CheckNew()
    {
        if (File.Exists(Root))
            throw new Errors.UserInputException($"--out {Root}: a file of that name exists; expected a folder for the run");
        if (File.Exists(Config) || File.Exists(Last) || File.Exists(Best))
            throw new Errors.UserInputException($"--out {Root}: the folder already holds a run; choose another folder or continue it with --resume {Root}");
        return this;
    }

    /// <summary>Creates the folder after <see cref="CheckNew"/>.</summary>
    public RunFolder CreateNew()
    {
        CheckNew();
        Directory.CreateDirectory(Root);
        return this;
    }
}
