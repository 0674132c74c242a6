using System.Net;
using System.Text;
using System.Text.Json;
using Grela.Cli.Serving;

namespace Grela.Tests.Serving;

/// <summary>One HTTP answer: status, media type and body (parsed when it is JSON).</summary>
public sealed record ServeAnswer(HttpStatusCode Status, string? MediaType, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    public IReadOnlyList<string> Items => [.. Json.GetProperty("items").EnumerateArray().Select(e => e.ToString())];

    public IReadOnlyList<double> Scores => [.. Json.GetProperty("scores").EnumerateArray().Select(e => e.GetDouble())];

    public override string ToString() => $"{(int)Status} {MediaType}\n{Body}";
}

/// <summary>A server started in-process on a free loopback port, with an HttpClient that talks to it.</summary>
internal sealed class ServeClient : IAsyncDisposable
{
    private readonly ServeHost _host;

    private ServeClient(ServeHost host)
    {
        _host = host;
        Http = new HttpClient { BaseAddress = new Uri(host.Urls[0]), Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Http { get; }

    public static async Task<ServeClient> Start(string run, string state, int top = 10, int maxUsers = UserSessions.DefaultMaxResident) =>
        new(await ServeHost.StartAsync(new ServeOptions(run, "http://127.0.0.1:0", state, top, MaxUsers: maxUsers)));

    public Task<ServeAnswer> Get(string path) => Send(new HttpRequestMessage(HttpMethod.Get, path));

    public Task<ServeAnswer> Delete(string path) => Send(new HttpRequestMessage(HttpMethod.Delete, path));

    /// <summary>POSTs JSON; with <paramref name="expectContinue"/> the body is sent only if the server asks for it (as a client of a large body should).</summary>
    public Task<ServeAnswer> Post(string path, string json, bool expectContinue = false) =>
        Send(new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
            Headers = { ExpectContinue = expectContinue },
        });

    public Task<ServeAnswer> Events(string user, params string[] items) =>
        Post($"/v1/users/{Uri.EscapeDataString(user)}/events", JsonSerializer.Serialize(new { items }));

    public Task<ServeAnswer> Stateless(IReadOnlyList<string> history, int k = 10) =>
        Post("/v1/recommend", JsonSerializer.Serialize(new { history, k }));

    public static async Task<ServeAnswer> Read(HttpResponseMessage response) =>
        new(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());

    private async Task<ServeAnswer> Send(HttpRequestMessage request)
    {
        using var response = await Http.SendAsync(request);
        return await Read(response);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _host.DisposeAsync();
    }
}
