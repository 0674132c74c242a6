using System.Net;
using System.Text.Json;
using Grela.Cli.Serving;
using Grela.Runs;

namespace Grela.Tests.Serving;

/// <summary>Every endpoint of `grela serve` over real HTTP on loopback, its refusals, and restarts.</summary>
[Collection(ServeCollection.Name)]
public class ServeApiTests(ServeRunsFixture runs)
{
    /// <summary>The run's original item ids (internal id 1..N).</summary>
    internal static string[] Tokens(string run) => [.. CheckpointFile.Read(new RunFolder(run).Best).Header.ItemTokens.Skip(1)];

    internal static void Same(ServeAnswer expected, ServeAnswer actual, double tolerance = 1e-4)
    {
        Assert.True(expected.Status == HttpStatusCode.OK, expected.ToString());
        Assert.True(actual.Status == HttpStatusCode.OK, actual.ToString());
        Assert.Equal(expected.Items, actual.Items);
        foreach (var (e, a) in expected.Scores.Zip(actual.Scores))
            Assert.InRange(a, e - tolerance, e + tolerance);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Events_answer_the_top_k_of_the_whole_history_and_recommendations_repeat_it(bool window)
    {
        var run = window ? runs.Window : runs.Causal;
        var t = Tokens(run);
        await using var server = await ServeClient.Start(run, runs.NewStateFile());
        var first = await server.Events("alice", t[0], t[1], t[2]);
        Assert.Equal("alice", first.Json.GetProperty("user").GetString());
        Assert.Equal(10, first.Items.Count);
        var second = await server.Post("/v1/users/alice/events?k=5", JsonSerializer.Serialize(new { items = new[] { t[3] } }));
        Assert.Equal(5, second.Items.Count);
        Same(await server.Stateless([t[0], t[1], t[2], t[3]], 5), second);
        Same(second, await server.Get("/v1/users/alice/recommendations?k=5"), tolerance: 0);
        var history = await server.Get("/v1/users/alice/history");
        Assert.Equal([t[0], t[1], t[2], t[3]], history.Items);
    }

    [Fact]
    public async Task Unknown_users_are_404_and_delete_forgets_a_user()
    {
        var t = Tokens(runs.Causal);
        await using var server = await ServeClient.Start(runs.Causal, runs.NewStateFile());
        var unknown = await server.Get("/v1/users/bob/recommendations");
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal("application/problem+json", unknown.MediaType);
        Assert.Contains("bob", unknown.Json.GetProperty("detail").GetString());
        await server.Events("bob", t[5]);
        Assert.Equal(HttpStatusCode.NoContent, (await server.Delete("/v1/users/bob")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Get("/v1/users/bob/recommendations")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Delete("/v1/users/bob")).Status);
        // A new history after the delete starts from nothing.
        Same(await server.Stateless([t[7]]), await server.Events("bob", t[7]), tolerance: 0);
    }

    [Fact]
    public async Task Model_health_openapi_and_metrics_describe_the_server()
    {
        var t = Tokens(runs.Causal);
        await using var server = await ServeClient.Start(runs.Causal, runs.NewStateFile());
        var model = (await server.Get("/v1/model")).Json;
        Assert.Equal("recgrela", model.GetProperty("model").GetString());
        Assert.Equal("causal", model.GetProperty("attention").GetString());
        Assert.Equal("streaming", model.GetProperty("state").GetString());
        Assert.Equal(t.Length, model.GetProperty("items").GetInt32());
        Assert.StartsWith("synthetic", model.GetProperty("dataset").GetString());
        Assert.Equal("ok", (await server.Get("/healthz")).Json.GetProperty("status").GetString());
        var openApi = (await server.Get("/openapi/v1.json")).Json;
        var paths = openApi.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var route in new[] { "/v1/users/{user}/events", "/v1/users/{user}/recommendations", "/v1/users/{user}", "/v1/recommend", "/v1/model", "/healthz", "/metrics" })
            Assert.Contains(route, paths);
        await server.Events("carol", t[1]);
        await server.Get("/v1/users/nobody/recommendations");
        var metrics = await server.Get("/metrics");
        Assert.StartsWith("text/plain", metrics.MediaType);
        Assert.Contains("grela_http_requests_total{method=\"POST\",route=\"/v1/users/{user}/events\",status=\"200\"} 1", metrics.Body);
        Assert.Contains("grela_http_requests_total{method=\"GET\",route=\"/v1/users/{user}/recommendations\",status=\"404\"} 1", metrics.Body);
        Assert.Contains("grela_http_request_duration_seconds_bucket{method=\"POST\",route=\"/v1/users/{user}/events\",status=\"200\",le=\"+Inf\"} 1", metrics.Body);
        Assert.Contains("grela_http_request_duration_seconds_count{", metrics.Body);
    }

    public static TheoryData<string, string, int, string> BadRequests => new()
    {
        { "/v1/users/dave/events", """{"items": ["no-such-item"]}""", 400, "no-such-item" },
        { "/v1/users/dave/events", """{"items": ["1", """, 400, "not valid JSON" },
        { "/v1/users/dave/events", """{"items": []}""", 400, "at least one item" },
        { "/v1/users/dave/events", """{"item": ["1"]}""", 400, "expected \"items\"" },
        { "/v1/users/dave/events", """{"items": "1"}""", 400, "expected an array" },
        { "/v1/users/dave/events", """{"items": [true]}""", 400, "strings or integers" },
        { "/v1/users/dave/events", """[1, 2]""", 400, "expected a JSON object" },
        { "/v1/users/dave/events", "", 400, "got nothing" },
        { "/v1/users/dave/events?k=0", """{"items": ["ITEM"]}""", 400, "k: expected 1.." },
        { "/v1/users/dave/events?k=100000", """{"items": ["ITEM"]}""", 400, "k: expected 1.." },
        { "/v1/users/dave/events?k=ten", """{"items": ["ITEM"]}""", 400, "positive integer" },
        { "/v1/recommend", """{"history": ["ITEM"], "k": 1001}""", 400, "k: expected 1.." },
        { "/v1/recommend", """{"history": ["ITEM"], "k": "3"}""", 400, "positive integer" },
        { "/v1/recommend", """{"history": []}""", 400, "at least one item" },
        { "/v1/users/dave/events", "BIG", 413, "at most 4194304 bytes" },
        { "/v1/users/dave/events", "MANY", 413, "at most 100000 items" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_a_problem_document_and_writes_nothing(string path, string body, int status, string expected)
    {
        var item = Tokens(runs.Causal)[0];
        body = body switch
        {
            "BIG" => "{\"items\": [\"" + new string('x', 5 << 20) + "\"]}",
            "MANY" => JsonSerializer.Serialize(new { items = Enumerable.Repeat(item, 100_001) }),
            _ => body.Replace("ITEM", item),
        };
        await using var server = await ServeClient.Start(runs.Causal, runs.NewStateFile());
        // A server that refuses a body by its length answers before reading it: the client must
        // wait for 100-continue, or it may still be sending when the connection closes.
        var answer = await server.Post(path, body, expectContinue: body.Length > ServeLimits.MaxBodyBytes);
        Assert.True((int)answer.Status == status, answer.ToString());
        Assert.Equal("application/problem+json", answer.MediaType);
        Assert.Contains(expected, answer.Json.GetProperty("detail").GetString());
        Assert.Equal(status, answer.Json.GetProperty("status").GetInt32());
        Assert.DoesNotContain("   at ", answer.Body);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Get("/v1/users/dave/history")).Status);
        Assert.Equal(0, (await server.Get("/v1/model")).Json.GetProperty("users").GetInt32());
    }

    [Fact]
    public async Task Users_survive_a_restart_with_the_same_state()
    {
        var t = Tokens(runs.Causal);
        var state = runs.NewStateFile();
        ServeAnswer before;
        await using (var server = await ServeClient.Start(runs.Causal, state))
        {
            await server.Events("erin", t[0], t[4]);
            before = await server.Events("erin", t[9]);
        }
        await using (var server = await ServeClient.Start(runs.Causal, state))
        {
            Same(before, await server.Get("/v1/users/erin/recommendations"), tolerance: 0);
            Same(await server.Stateless([t[0], t[4], t[9], t[2]]), await server.Events("erin", t[2]));
        }
    }

    [Fact]
    public async Task A_state_written_by_another_run_is_rebuilt_from_the_history()
    {
        var causal = Tokens(runs.Causal);
        Assert.Equal(causal, Tokens(runs.Window));
        var state = runs.NewStateFile();
        await using (var server = await ServeClient.Start(runs.Causal, state))
            await server.Events("frank", causal[0], causal[1], causal[2]);
        await using (var server = await ServeClient.Start(runs.Window, state))
        {
            Same(await server.Stateless([causal[0], causal[1], causal[2]]), await server.Get("/v1/users/frank/recommendations"), tolerance: 0);
            await server.Events("frank", causal[3]);
        }
        await using (var server = await ServeClient.Start(runs.Causal, state))
            Same(await server.Stateless([causal[0], causal[1], causal[2], causal[3]]), await server.Get("/v1/users/frank/recommendations"));
    }
}
