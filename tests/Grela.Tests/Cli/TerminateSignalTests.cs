using System.Diagnostics;
using Grela.Cli.Bench;

namespace Grela.Tests.Cli;

/// <summary>A real grela process stopped by SIGTERM while training finishes its step, writes `last` and exits 130.</summary>
public class TerminateSignalTests
{
    [Fact]
    public async Task Sigterm_during_training_writes_last_and_exits_130()
    {
        var dir = Directory.CreateTempSubdirectory("grela-term-").FullName;
        var run = Path.Combine(dir, "run");
        try
        {
            var (exitCode, output) = await TrainThenTerminate(run, wholeGroup: false, "--threads", "1");
            Assert.Equal(130, exitCode);
            Assert.True(File.Exists(Path.Combine(run, "last.ckpt")));
            Assert.Contains("interrupted", output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// `timeout`, a terminal's Ctrl-C and a job scheduler signal the whole process group, so the
    /// worker process gets the signal too: it must leave the stop to the trainer, which then ends
    /// the step, writes `last` and exits 130 with no error about its worker.
    /// </summary>
    [Fact]
    public async Task Sigterm_to_the_process_group_with_a_worker_writes_last_and_exits_130()
    {
        var dir = Directory.CreateTempSubdirectory("grela-term-").FullName;
        var run = Path.Combine(dir, "run");
        try
        {
            var (exitCode, output) = await TrainThenTerminate(run, wholeGroup: true, "--threads", "2", "--workers", "2");
            Assert.True(exitCode == 130, output);
            Assert.DoesNotContain("gradient worker", output);
            Assert.Contains("--resume", output);
            Assert.True(File.Exists(Path.Combine(run, "last.ckpt")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// Starts a long training run into <paramref name="run"/>, waits until its first epoch is logged
    /// (so the signal lands inside training), sends SIGTERM to the process or, with
    /// <paramref name="wholeGroup"/>, to its process group (started under setsid, so the group
    /// signal spares the test host), and returns its exit code and output.
    /// </summary>
    private static async Task<(int ExitCode, string Output)> TrainThenTerminate(string run, bool wholeGroup, params string[] options)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var info = new ProcessStartInfo(wholeGroup ? "setsid" : dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string[] train = [typeof(BenchFiles).Assembly.Location, "train", "--data", "synthetic:users=200,items=60,seed=3",
            "--epochs", "500", "--patience", "500", .. options, "--out", run];
        foreach (var a in wholeGroup ? [dotnet, .. train] : train)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var log = Path.Combine(run, "train.log");
        var deadline = Stopwatch.StartNew();
        while (!(File.Exists(log) && File.ReadAllText(log).Contains("epoch 1:")) && deadline.Elapsed < TimeSpan.FromSeconds(90) && !process.HasExited)
            Thread.Sleep(100);
        Assert.False(process.HasExited, process.HasExited ? await stderr : "");
        string[] target = wholeGroup ? ["--", "-" + process.Id] : [process.Id.ToString()];
        using (var kill = Process.Start("kill", ["-TERM", .. target])) kill.WaitForExit();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await stderr + await stdout);
    }

    [Fact]
    public async Task Sigterm_during_start_up_exits_130()
    {
        var dir = Directory.CreateTempSubdirectory("grela-term-").FullName;
        try
        {
            var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            // Loading this dataset takes seconds: the signal lands before training starts.
            foreach (var a in new[] { typeof(BenchFiles).Assembly.Location, "train", "--data", "synthetic:users=300000,items=3000,min-len=20,max-len=60,seed=3",
                         "--epochs", "1", "--threads", "1", "--out", Path.Combine(dir, "run") })
                info.ArgumentList.Add(a);
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            Thread.Sleep(2500);
            Assert.False(process.HasExited, process.HasExited ? await stderr : "");
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()])) kill.WaitForExit();
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(limit.Token);
            Assert.Equal(130, process.ExitCode);
            Assert.Contains("interrupted", await stderr + await stdout);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
