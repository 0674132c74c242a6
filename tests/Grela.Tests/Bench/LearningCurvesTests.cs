using Grela.Cli.Bench;
using Grela.Errors;

namespace Grela.Tests.Bench;

public sealed class LearningCurvesTests
{
    [Fact]
    public void A_history_gives_points_at_its_steps_and_skips_epochs_without_the_metric()
    {
        var curve = LearningCurves.Parse("h.csv", "epoch,valid_NDCG@10,steps\n0,0.1,68\n1,,136\n2,0.15,204\n", "valid_NDCG@10", "run");
        Assert.Equal("run", curve.Label);
        Assert.Equal([(68.0, 0.1), (204.0, 0.15)], curve.Points);
    }

    [Theory]
    [InlineData("epoch,valid_NDCG@10\n0,0.1\n", "h.csv:1: expected columns 'steps'")]
    [InlineData("epoch,valid_NDCG@10,steps\n0,0.1\n", "h.csv:2: expected 3 comma-separated values")]
    [InlineData("epoch,valid_NDCG@10,steps\n0,0.1,-4\n", "h.csv:2: 'steps' must be a positive number")]
    [InlineData("epoch,valid_NDCG@10,steps\n0,high,4\n", "h.csv:2: 'valid_NDCG@10' must be a number")]
    [InlineData("", "h.csv: empty file")]
    public void A_malformed_history_is_refused_naming_the_file_and_line(string text, string expected)
    {
        var error = Assert.Throws<UserInputException>(() => LearningCurves.Parse("h.csv", text, "valid_NDCG@10", "x"));
        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public void A_run_folders_history_is_labelled_with_the_folder()
    {
        Assert.Equal("ml1m-run", LearningCurves.DefaultLabel("/x/ml1m-run/history.csv"));
        Assert.Equal("official-log", LearningCurves.DefaultLabel("/x/official-log.csv"));
    }
}
