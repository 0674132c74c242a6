using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Grela.Training;

namespace Grela.Tests.Training;

public sealed class LrScheduleTests
{
    [Fact]
    public void Warm_up_rises_linearly_to_the_peak_then_constant_stays()
    {
        var s = new LrSchedule(0.004, LrDecay.Constant, WarmupSteps: 4, TotalSteps: 100);
        Assert.Equal([0.001, 0.002, 0.003, 0.004, 0.004], Enumerable.Range(0, 5).Select(i => Math.Round(s.At(i), 12)));
        Assert.Equal(0.004, s.At(99));
    }

    [Theory]
    [InlineData(LrDecay.Cosine)]
    [InlineData(LrDecay.Linear)]
    public void A_decay_starts_at_the_peak_after_warm_up_and_reaches_the_floor_at_the_last_planned_step(LrDecay decay)
    {
        var s = new LrSchedule(1e-3, decay, WarmupSteps: 10, TotalSteps: 111, Floor: 0.1);
        Assert.Equal(1e-3, s.At(10), 12);
        Assert.Equal(1e-4, s.At(110), 12);
        Assert.Equal(1e-4, s.At(500), 12);                 // past the plan (more epochs on resume): stays at the floor
        Assert.Equal(5.5e-4, s.At(60), 12);                // half way: the mean of peak and floor for both shapes
    }

    [Property(MaxTest = 200)]
    public Property After_warm_up_the_rate_never_rises_and_stays_between_floor_and_peak(PositiveInt warmup, PositiveInt total, NonNegativeInt step, bool cosine)
    {
        var s = new LrSchedule(2e-3, cosine ? LrDecay.Cosine : LrDecay.Linear, warmup.Get % 50, warmup.Get % 50 + total.Get % 500, Floor: 0.05);
        long a = s.WarmupSteps + step.Get % 600, b = a + 1;
        return (s.At(b) <= s.At(a) + 1e-15 && s.At(a) >= 2e-3 * 0.05 - 1e-15 && s.At(a) <= 2e-3 + 1e-15)
            .Label($"lr({a}) = {s.At(a)}, lr({b}) = {s.At(b)}");
    }

    [Theory]
    [InlineData(10, 48, 0, 480)]
    [InlineData(10, 48, 40, 40)]
    [InlineData(2, 48, 1000, 96)]
    public void A_decay_is_planned_over_every_batch_of_every_epoch_or_the_step_budget_when_that_comes_first(int epochs, long batches, long maxSteps, long expected) =>
        Assert.Equal(expected, LrSchedule.PlannedSteps(epochs, batches, maxSteps));

    [Fact]
    public void Schedule_names_parse_and_an_unknown_one_is_refused()
    {
        Assert.Equal(LrDecay.Cosine, LrSchedule.ParseDecay("cosine"));
        Assert.Throws<ArgumentException>(() => LrSchedule.ParseDecay("step"));
    }
}
