using Grela.Cli.Bench;
using Grela.Errors;
using Grela.Tests.Cli;
using Grela.Tests.Data;

namespace Grela.Tests.Bench;

public sealed class LearningCurvesTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

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

    /// <summary>Width and height from a PNG's IHDR chunk.</summary>
    private static (int Width, int Height) PngSize(string path)
    {
        var header = File.ReadAllBytes(path)[16..24];
        return (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4)));
    }

    [Fact]
    public void Many_curves_put_the_legend_beside_the_plot_and_the_figure_grows_to_hold_it()
    {
        static LearningCurve Curve(int i) => new($"run-{i}", [(100.0, 0.1 + i / 1000.0), (1000.0, 0.15 + i / 1000.0)]);
        var few = Path.Combine(Path.GetTempPath(), $"grela-curves-few-{Environment.ProcessId}.png");
        var many = Path.Combine(Path.GetTempPath(), $"grela-curves-many-{Environment.ProcessId}.png");
        try
        {
            LearningCurves.Plot(few, "valid_NDCG@10", [.. Enumerable.Range(0, LearningCurves.InsideLegendCurves).Select(Curve)]);
            LearningCurves.Plot(many, "valid_NDCG@10", [.. Enumerable.Range(0, 52).Select(Curve)]);
            Assert.Equal((1000, 600), PngSize(few));
            var (width, height) = PngSize(many);
            Assert.True(width > 1000 && height >= 52 * 20, $"{width} x {height}");
        }
        finally
        {
            File.Delete(few);
            File.Delete(many);
        }
    }

    [Fact]
    public void Curves_past_the_palette_take_the_next_line_pattern_and_then_other_markers_so_no_two_of_160_look_alike()
    {
        var styles = Enumerable.Range(0, 160).Select(i => LearningCurves.CurveStyle(i, colours: 10)).ToList();
        Assert.Equal(160, styles.Distinct().Count());
        Assert.Equal((0, 0, 0), styles[0]);
        Assert.Equal((0, 1, 1), styles[10]);
        Assert.Equal((3, 2, 2), styles[23]);
        Assert.Equal((0, 0, 1), styles[40]);
        Assert.Equal((0, 0, 0), LearningCurves.CurveStyle(160, colours: 10));
    }

    [Fact]
    public void A_run_folders_history_is_labelled_with_the_folder()
    {
        Assert.Equal("ml1m-run", LearningCurves.DefaultLabel("/x/ml1m-run/history.csv"));
        Assert.Equal("official-log", LearningCurves.DefaultLabel("/x/official-log.csv"));
    }

    [Fact]
    public void Curves_writes_the_png_and_says_so_on_stderr_only()
    {
        var history = _files.Write("history.csv", "epoch,valid_NDCG@10,steps\n0,0.1,68\n1,0.12,136\n");
        var png = Path.ChangeExtension(history, ".png");
        var result = CliHarness.Run("bench", "curves", history, $"{history}=again", "--out", png);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(new FileInfo(png).Length > 0);
        Assert.Equal($"wrote {png} (2 curves){Environment.NewLine}", result.Err);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public void Curves_with_a_missing_history_or_a_non_png_out_is_one_error_line_and_writes_nothing()
    {
        var history = _files.Write("history.csv", "epoch,valid_NDCG@10,steps\n0,0.1,68\n");
        var absent = Path.ChangeExtension(history, ".absent.csv");
        var png = Path.ChangeExtension(history, ".png");
        var svg = Path.ChangeExtension(history, ".svg");
        AssertRefused(CliHarness.Run("bench", "curves", history, absent, "--out", png), $"{absent}: no such file; expected a history.csv", png);
        AssertRefused(CliHarness.Run("bench", "curves", history, "--out", svg), $"--out {svg}: expected a .png file name", svg);
    }

    private static void AssertRefused(CliResult result, string error, string output)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal($"error: {error}{Environment.NewLine}", result.Err);
        Assert.Equal("", result.Out);
        Assert.False(File.Exists(output));
    }
}
