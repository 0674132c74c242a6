using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Grela.Cli.Serving;

namespace Grela.Cli.Bench;

/// <summary>One load case of `bench serve`: latency and throughput of "one event + top-10" at a history length and a number of clients.</summary>
public sealed record ServeCase(int History, int Clients, int Requests, int Errors, double P50Milliseconds, double P99Milliseconds, double RequestsPerSecond, double Seconds);

/// <summary>
/// `grela bench serve`: starts the server in-process on a loopback port with a throw-away state
/// file, gives each client its own user with a history of the case's length (one bulk POST), then
/// has every client post one event at a time (with ?k=10) as fast as answers come, until the case's
/// request count or time is spent. Latency is measured at the client, over real HTTP.
/// </summary>
internal static class ServeBench
{
    public sealed record Plan(string Run, IReadOnlyList<int> Histories, IReadOnlyList<int> Clients, int Requests, TimeSpan CaseTime, int? Threads, int Seed);

    public static async Task<List<ServeCase>> Run(Plan plan, Action<ServeCase> report)
    {
        var dir = Directory.CreateTempSubdirectory("grela-bench-serve-").FullName;
        try
        {
            await using var host = await ServeHost.StartAsync(new ServeOptions(plan.Run, "http://127.0.0.1:0", Path.Combine(dir, "state.db"), 10, plan.Threads));
            var tokens = Enumerable.Range(1, host.Served.Vocabulary.ItemCount - 1).Select(i => host.Served.Vocabulary.Token(i)).ToArray();
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 }) { BaseAddress = new Uri(host.Urls[0]), Timeout = TimeSpan.FromMinutes(5) };
            var results = new List<ServeCase>();
            foreach (var history in plan.Histories)
            {
                foreach (var clients in plan.Clients)
                {
                    var c = await Case(http, tokens, plan, history, clients);
                    report(c);
                    results.Add(c);
                }
            }
            return results;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<ServeCase> Case(HttpClient http, string[] tokens, Plan plan, int history, int clients)
    {
        var random = new Random(HashCode.Combine(plan.Seed, history, clients));
        var users = Enumerable.Range(0, clients).Select(i => $"bench-h{history}-c{clients}-{i}").ToArray();
        // Histories first (not timed), a few users at a time.
        foreach (var chunk in users.Chunk(8))
            await Task.WhenAll(chunk.Select(u => Post(http, u, [.. Enumerable.Range(0, history).Select(_ => tokens[random.Next(tokens.Length)])])));
        var picks = users.Select((_, i) => new Random(HashCode.Combine(plan.Seed, history, clients, i))).ToArray();
        // Warm-up: one untimed event per user (connections, JIT, caches).
        await Task.WhenAll(users.Select((u, i) => Post(http, u, [tokens[picks[i].Next(tokens.Length)]])));

        var latencies = new List<double>[clients];
        var errors = 0;
        var issued = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(users.Select((user, i) => Task.Run(async () =>
        {
            var mine = latencies[i] = [];
            while (Interlocked.Increment(ref issued) <= plan.Requests && clock.Elapsed < plan.CaseTime)
            {
                var start = Stopwatch.GetTimestamp();
                var ok = await Post(http, user, [tokens[picks[i].Next(tokens.Length)]]);
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (!ok) Interlocked.Increment(ref errors);
            }
        })));
        var seconds = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).ToList();
        return new ServeCase(history, clients, all.Count, errors,
            all.Count == 0 ? double.NaN : Statistics.Percentile(all, 50),
            all.Count == 0 ? double.NaN : Statistics.Percentile(all, 99),
            all.Count / seconds, seconds);
    }

    private static async Task<bool> Post(HttpClient http, string user, string[] items)
    {
        using var content = new StringContent(JsonSerializer.Serialize(new { items }), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync($"/v1/users/{user}/events?k=10", content);
        await response.Content.ReadAsByteArrayAsync();
        return response.StatusCode == HttpStatusCode.OK;
    }

    public static string Csv(IEnumerable<ServeCase> cases)
    {
        var sb = new StringBuilder("history,clients,requests,errors,p50_ms,p99_ms,requests_per_s,seconds\n");
        foreach (var c in cases)
            sb.AppendLine(string.Join(',', new object[] { c.History, c.Clients, c.Requests, c.Errors, c.P50Milliseconds, c.P99Milliseconds, c.RequestsPerSecond, c.Seconds }
                .Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))));
        return sb.ToString();
    }
}
