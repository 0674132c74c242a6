namespace Grela.Training;

/// <summary>How the learning rate moves after warm-up.</summary>
public enum LrDecay { Constant, Cosine, Linear }

/// <summary>
/// The learning rate as a pure function of the optimizer step, so that a resumed run continues on
/// exactly the same curve: linear warm-up over <see cref="WarmupSteps"/> steps (step s gets
/// lr x (s+1)/warmup), then constant, or a cosine or linear decay that reaches lr x
/// <see cref="Floor"/> at the last planned step <see cref="TotalSteps"/> - 1 and stays there.
/// </summary>
public sealed record LrSchedule(double Peak, LrDecay Decay = LrDecay.Constant, int WarmupSteps = 0, long TotalSteps = 0, double Floor = 0.1)
{
    /// <summary>A constant learning rate.</summary>
    public static LrSchedule Constant(double lr) => new(lr);

    /// <summary>
    /// The decays as config files, config.json and the command line spell them (key `lr-schedule`),
    /// in enum order. The shell parses the spelling once, with <see cref="ParseDecay"/>.
    /// </summary>
    private static readonly Text.Spellings<LrDecay> Decays = new("lr-schedule",
        ("constant", LrDecay.Constant), ("cosine", LrDecay.Cosine), ("linear", LrDecay.Linear));

    public static IReadOnlyList<string> DecayNames => Decays.Names;

    /// <summary>The decay named as in config files: constant, cosine or linear.</summary>
    public static LrDecay ParseDecay(string name) => Decays.Parse(name);

    /// <summary>
    /// The steps a decay is planned over: every batch of every epoch, or the step budget
    /// (<paramref name="maxSteps"/>, 0: none) when that ends the run first.
    /// </summary>
    public static long PlannedSteps(int epochs, long batchesPerEpoch, long maxSteps)
    {
        var all = epochs * batchesPerEpoch;
        return maxSteps > 0 ? Math.Min(all, maxSteps) : all;
    }

    /// <summary>The learning rate of optimizer step <paramref name="step"/> (0-based).</summary>
    public double At(long step)
    {
        if (step < WarmupSteps)
            return Peak * (step + 1) / WarmupSteps;
        if (Decay == LrDecay.Constant)
            return Peak;
        var span = TotalSteps - 1 - WarmupSteps;
        var t = span <= 0 ? 1.0 : Math.Clamp((double)(step - WarmupSteps) / span, 0, 1);
        var shape = Decay == LrDecay.Cosine ? 0.5 * (1 + Math.Cos(Math.PI * t)) : 1 - t;
        return Peak * (Floor + (1 - Floor) * shape);
    }
}
