using System.CommandLine;
using Grela.Cli.Commands;
using Grela.Cli.Runs;

namespace Grela.Tests.Cli;

/// <summary>Issue 11: `data stats` read its filters through its own options, so the same flags could select another dataset than `train`.</summary>
public sealed class DataOptionsAgreementTests
{
    public static TheoryData<string[]> Flags => new()
    {
        Array.Empty<string>(),
        new[] { "--format", "csv", "--min-user", "3", "--min-item", "0", "--min-rating", "3.5", "--dedup" },
        new[] { "--format", "user-lines", "--min-rating", "4" },
    };

    [Theory]
    [MemberData(nameof(Flags))]
    public void Data_stats_and_train_resolve_identical_data_options_for_the_same_flags(string[] flags)
    {
        var train = new Command("train");
        var trainOptions = ConfigOptions.All();
        trainOptions.AddTo(train);
        var stats = new Command("stats");
        var statsOptions = new DataOptionSet();
        statsOptions.AddTo(stats);

        var trained = RunDefaults.Resolve(trainOptions.Given(train.Parse(flags))).ToDataOptions();
        var summarised = statsOptions.Read(stats.Parse(flags));

        Assert.Equal(trained, summarised);
    }

    [Theory]
    [InlineData("--format", "CSV")]
    [InlineData("--min-user", "2000000000")]
    public void A_data_flag_train_refuses_is_refused_by_data_stats_too(string flag, string value)
    {
        Assert.Equal(2, CliHarness.Run("train", flag, value).ExitCode);
        Assert.Equal(2, CliHarness.Run("data", "stats", "synthetic", flag, value).ExitCode);
    }
}
