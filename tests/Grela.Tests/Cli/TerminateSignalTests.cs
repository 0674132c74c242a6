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
            var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var a in new[] { typeof(BenchFiles).Assembly.Location, "train", "--data", "synthetic:users=200,items=60,seed=3",
                         "--epochs", "500", "--patience", "500", "--threads", "1", "--out", run })
                info.ArgumentList.Add(a);
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var log = Path.Combine(run, "train.log");
            var deadline = Stopwatch.StartNew();
            // Wait until at least one epoch has been logged, so the signal lands inside training.
            while (!(File.Exists(log) && File.ReadAllText(log).Contains("epoch 1:")) && deadline.Elapsed < TimeSpan.FromSeconds(90) && !process.HasExited)
                Thread.Sleep(100);
            Assert.False(process.HasExited, process.HasExited ? await stderr : "");
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()])) kill.WaitForExit();
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(limit.Token);
            Assert.Equal(130, process.ExitCode);
            Assert.True(File.Exists(Path.Combine(run, "last.ckpt")));
            Assert.Contains("interrupted", await stderr + await stdout);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
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
