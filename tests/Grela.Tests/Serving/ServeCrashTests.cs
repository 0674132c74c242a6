using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Grela.Cli.Serving;

namespace Grela.Tests.Serving;

/// <summary>
/// A real `grela serve` process killed with SIGKILL while clients stream events: after a restart on
/// the same state file, every acknowledged event is there, in order, and each user's state is the
/// state of their stored history.
/// </summary>
[Collection(ServeCollection.Name)]
public class ServeCrashTests(ServeRunsFixture runs)
{
    [Fact]
    public async Task Kill_9_mid_stream_loses_no_acknowledged_event()
    {
        var t = ServeApiTests.Tokens(runs.Causal);
        var state = runs.NewStateFile();
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { typeof(ServeHost).Assembly.Location, "serve", "--run", runs.Causal, "--urls", "http://127.0.0.1:0", "--state", state, "--threads", "1" })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var url = await ListeningUrl(process);
        if (url is null)
            Assert.Fail($"the server did not start: {await stderr}");

        var users = new[] { "u0", "u1", "u2", "u3" };
        var acknowledged = users.ToDictionary(u => u, _ => new List<string>());
        var total = 0;
        using var http = new HttpClient { BaseAddress = new Uri(url!) };
        var streams = users.Select((user, n) => Task.Run(async () =>
        {
            for (var i = 0; ; i++)
            {
                var item = t[(n * 7 + i) % t.Length];
                try
                {
                    using var response = await http.PostAsync($"/v1/users/{user}/events", new StringContent(JsonSerializer.Serialize(new { items = new[] { item } })));
                    if (response.StatusCode != HttpStatusCode.OK) return;
                    await response.Content.ReadAsStringAsync();
                }
                catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
                {
                    return;   // the server is gone: this event was never acknowledged
                }
                acknowledged[user].Add(item);
                Interlocked.Increment(ref total);
            }
        })).ToList();
        var clock = Stopwatch.StartNew();
        while (Volatile.Read(ref total) < 60 && clock.Elapsed < TimeSpan.FromSeconds(30))
            await Task.Delay(5);
        process.Kill(entireProcessTree: true);   // SIGKILL: no shutdown code runs
        await process.WaitForExitAsync();
        await Task.WhenAll(streams);
        if (total < 60)
            Assert.Fail($"only {total} events acknowledged before the kill: {await stderr}");

        await using var server = await ServeClient.Start(runs.Causal, state);
        foreach (var user in users)
        {
            var stored = (await server.Get($"/v1/users/{user}/history")).Items;
            // Every acknowledged event, in order; at most the one in-flight event besides.
            Assert.Equal(acknowledged[user], stored.Take(acknowledged[user].Count));
            Assert.InRange(stored.Count - acknowledged[user].Count, 0, 1);
            ServeApiTests.Same(await server.Stateless(stored), await server.Get($"/v1/users/{user}/recommendations"));
        }
    }

    private static async Task<string?> ListeningUrl(Process process)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(limit.Token) is { } line)
        {
            var at = line.IndexOf("listening on http://", StringComparison.Ordinal);
            if (at >= 0)
                return line[(at + "listening on ".Length)..].Split(' ')[0];
        }
        return null;
    }
}
