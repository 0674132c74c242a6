using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Grela.Cli.Serving;

/// <summary>
/// Request counts and latency histograms per route, method and status, exposed at /metrics in the
/// Prometheus text format (0.0.4). Recording is lock-free (Interlocked counters); rendering is a
/// pure function of a snapshot.
/// </summary>
internal sealed class ServeMetrics
{
    /// <summary>Upper bounds of the latency buckets, in seconds (the target is p99 under 10 ms).</summary>
    public static readonly double[] Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly ConcurrentDictionary<(string Method, string Route, int Status), Series> _series = new();

    private sealed class Series
    {
        public readonly long[] Counts = new long[Buckets.Length + 1];
        public long Count;
        public long SumTicks;
    }

    public void Record(string method, string route, int status, TimeSpan elapsed)
    {
        var series = _series.GetOrAdd((method, route, status), _ => new Series());
        var seconds = elapsed.TotalSeconds;
        var bucket = Array.FindIndex(Buckets, b => seconds <= b);
        Interlocked.Increment(ref series.Counts[bucket < 0 ? Buckets.Length : bucket]);
        Interlocked.Increment(ref series.Count);
        Interlocked.Add(ref series.SumTicks, elapsed.Ticks);
    }

    /// <summary>The text exposition: grela_http_requests_total and grela_http_request_duration_seconds.</summary>
    public string Render()
    {
        var rows = _series.OrderBy(p => p.Key.Route, StringComparer.Ordinal).ThenBy(p => p.Key.Method, StringComparer.Ordinal).ThenBy(p => p.Key.Status).ToList();
        var text = new StringBuilder();
        text.Append("# HELP grela_http_requests_total HTTP requests answered, by method, route and status.\n");
        text.Append("# TYPE grela_http_requests_total counter\n");
        foreach (var (key, series) in rows)
            text.Append(CultureInfo.InvariantCulture, $"grela_http_requests_total{{{Labels(key)}}} {Interlocked.Read(ref series.Count)}\n");
        text.Append("# HELP grela_http_request_duration_seconds Time from request start to response, by method, route and status.\n");
        text.Append("# TYPE grela_http_request_duration_seconds histogram\n");
        foreach (var (key, series) in rows)
        {
            long cumulative = 0;
            for (var i = 0; i <= Buckets.Length; i++)
            {
                cumulative += Interlocked.Read(ref series.Counts[i]);
                var le = i < Buckets.Length ? Buckets[i].ToString("R", CultureInfo.InvariantCulture) : "+Inf";
                text.Append(CultureInfo.InvariantCulture, $"grela_http_request_duration_seconds_bucket{{{Labels(key)},le=\"{le}\"}} {cumulative}\n");
            }
            var sum = TimeSpan.FromTicks(Interlocked.Read(ref series.SumTicks)).TotalSeconds;
            text.Append(CultureInfo.InvariantCulture, $"grela_http_request_duration_seconds_sum{{{Labels(key)}}} {sum.ToString("R", CultureInfo.InvariantCulture)}\n");
            text.Append(CultureInfo.InvariantCulture, $"grela_http_request_duration_seconds_count{{{Labels(key)}}} {Interlocked.Read(ref series.Count)}\n");
        }
        return text.ToString();
    }

    /// <summary>The memory bound's gauges: users held now, and users dropped so far (re-read from the store on return).</summary>
    public static string RenderUsers(int resident, long evicted) => string.Create(CultureInfo.InvariantCulture,
        $"# HELP grela_serve_resident_users Users whose state is held in memory.\n# TYPE grela_serve_resident_users gauge\ngrela_serve_resident_users {resident}\n" +
        $"# HELP grela_serve_evicted_users_total Users dropped from memory to stay within --max-users.\n# TYPE grela_serve_evicted_users_total counter\ngrela_serve_evicted_users_total {evicted}\n");

    private static string Labels((string Method, string Route, int Status) key) =>
        $"method=\"{Escape(key.Method)}\",route=\"{Escape(key.Route)}\",status=\"{key.Status.ToString(CultureInfo.InvariantCulture)}\"";

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
