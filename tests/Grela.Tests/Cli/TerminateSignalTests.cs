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
    /// `timeout` killed by a signal of its own passes it on to its child and its group, so the trainer
    /// can get a second SIGTERM right after the first. The second ends the process at once, while the
    /// training thread is inside a libtorch kernel: with 130 and the one error line, not with libtorch
    /// aborting at exit (status 134 and a native trace, seen when the exit handlers ran).
    /// </summary>
    [Fact]
    public async Task A_second_sigterm_during_training_exits_130_without_a_native_trace()
    {
        var dir = Directory.CreateTempSubdirectory("grela-term-").FullName;
        var run = Path.Combine(dir, "run");
        try
        {
            // Steps of about a second (128 windows of up to 200 items at D 256), so the second signal lands inside one.
            var (exitCode, output) = await TrainThenTerminate(run, wholeGroup: false, signals: 2,
                "--threads", "2", "--workers", "1", "--dim", "256", "--max-len", "200", "--batch-size", "128",
                "--data", "synthetic:users=200,items=60,min-len=150,max-len=200,seed=3");
            Assert.True(exitCode == 130, output);
            Assert.Contains("error: interrupted (SIGTERM)", output);
            Assert.DoesNotContain("terminate called", output);
            Assert.DoesNotContain("Exception raised from", output);
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
    private static async Task<(int ExitCode, string Output)> TrainThenTerminate(string run, bool wholeGroup, params string[] options) =>
        await TrainThenTerminate(run, wholeGroup, signals: 1, options);

    private static async Task<(int ExitCode, string Output)> TrainThenTerminate(string run, bool wholeGroup, int signals, params string[] options)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var info = new ProcessStartInfo(wholeGroup ? "setsid" : dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string[] data = options.Contains("--data") ? [] : ["--data", "synthetic:users=200,items=60,seed=3"];
        string[] train = [typeof(BenchFiles).Assembly.Location, "train", .. data,
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
        for (int i = 0; i < signals; i++)
        {
            // A pending signal absorbs an identical one: the next goes after the first was taken,
            // while the step it lets finish (a second or more here) still runs.
            if (i > 0) Thread.Sleep(300);
            using var kill = Process.Start("kill", ["-TERM", .. target])!;
            kill.WaitForExit();
        }
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
