using Grela.Tests.Cli;

namespace Grela.Tests.Serving;

/// <summary>`grela serve` refuses what it cannot serve with one error line and exit code 2.</summary>
[Collection(ServeCollection.Name)]
public class ServeCommandTests(ServeRunsFixture runs)
{
    [Fact]
    public void Bad_serve_options_exit_2_naming_the_option()
    {
        var notDb = Path.Combine(runs.Causal, "config.json");
        foreach (var (args, expected) in new (string[], string)[]
        {
            (["--run", Path.Combine(runs.Root, "nope")], "no such run folder"),
            (["--run", runs.Causal, "--top", "0"], "--top: expected 1..1000, got 0"),
            (["--run", runs.Causal, "--state", notDb], "cannot open it as a SQLite database"),
            (["--run", runs.Causal, "--state", runs.NewStateFile(), "--urls", "nonsense"], "--urls nonsense: "),
        })
        {
            var result = CliHarness.Run(["serve", .. args]);
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains(expected, result.Err);
            Assert.DoesNotContain("   at ", result.Err);
        }
    }
}
