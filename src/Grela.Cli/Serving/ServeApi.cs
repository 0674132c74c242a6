using System.Diagnostics;
using System.Text.Json.Nodes;
using Grela.Cli.Runs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grela.Cli.Serving;

/// <summary>The HTTP surface of `grela serve` (docs/serving.md): routes, their JSON and their refusals.</summary>
internal static class ServeApi
{
    public static void Map(WebApplication app, ServedRun served, ServeMetrics metrics)
    {
        var api = app.MapGroup("");
        // Refusals are thrown by the request readers and become problem documents here, in one place.
        api.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (RequestProblem p)
            {
                return Problem(p.Status, p.Title, p.Detail);
            }
        });

        api.MapPost("/v1/users/{user}/events", async (string user, HttpRequest request) =>
        {
            user = ServeRequests.User(user);
            var k = ServeRequests.K(QueryK(request), served.Top, served.Vocabulary.ItemCount);
            using var body = await ServeRequests.ReadJson(request);
            var (words, ids) = ServeRequests.Items(body.RootElement, "items", served.Vocabulary);
            var top = await served.Users.Append(user, words, ids, k);
            return Json(Answer(served.Vocabulary, top, user));
        });

        api.MapGet("/v1/users/{user}/recommendations", async (string user, HttpRequest request) =>
        {
            user = ServeRequests.User(user);
            var k = ServeRequests.K(QueryK(request), served.Top, served.Vocabulary.ItemCount);
            return await served.Users.Recommend(user, k) is { } top
                ? Json(Answer(served.Vocabulary, top, user))
                : UnknownUser(user);
        });

        api.MapGet("/v1/users/{user}/history", async (string user) =>
        {
            user = ServeRequests.User(user);
            return await served.Users.History(user) is { } history
                ? Json(new JsonObject { ["user"] = user, ["items"] = served.Vocabulary.ToJson(history) })
                : UnknownUser(user);
        });

        api.MapDelete("/v1/users/{user}", async (string user) =>
        {
            user = ServeRequests.User(user);
            return await served.Users.Delete(user) ? Results.NoContent() : UnknownUser(user);
        });

        api.MapPost("/v1/recommend", async (HttpRequest request) =>
        {
            using var body = await ServeRequests.ReadJson(request);
            var (_, ids) = ServeRequests.Items(body.RootElement, "history", served.Vocabulary);
            var k = ServeRequests.K(body.RootElement, served.Top, served.Vocabulary.ItemCount);
            // The same fold and top-K as a user's events, on a state that is dropped afterwards.
            using var state = served.Model.Fold(null, ids);
            return Json(Answer(served.Vocabulary, served.Model.Top(state, k), user: null));
        });

        api.MapGet("/v1/model", () => Json(new JsonObject
        {
            ["model"] = served.Run.Config.Model,
            ["dataset"] = served.Run.Header.Dataset.Name,
            ["items"] = served.Vocabulary.ItemCount - 1,
            ["attention"] = served.Run.Config.Attention,
            ["max_len"] = served.Run.Config.MaxLen,
            ["state"] = served.Model.StateKind,
            ["fingerprint"] = served.Fingerprint,
            ["users"] = served.Store.CountUsers(),
        }));

        api.MapGet("/healthz", () => Json(new JsonObject { ["status"] = "ok" }));
        api.MapGet("/metrics", () => Results.Text(metrics.Render() + ServeMetrics.RenderUsers(served.Users.Resident, served.Users.Evictions), "text/plain; version=0.0.4; charset=utf-8"));
        api.MapGet(OpenApiDocument.Path, () => Results.Text(OpenApiDocument.Json(typeof(ServeApi).Assembly.GetName().Version?.ToString() ?? "0"), "application/json"));
    }

    /// <summary>Times every request and records it under its route template (not the raw path, which holds user ids).</summary>
    public static RequestDelegate Measure(RequestDelegate next, ServeMetrics metrics) => async context =>
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            metrics.Record(context.Request.Method, route, context.Response.StatusCode, Stopwatch.GetElapsedTime(start));
        }
    };

    private static string? QueryK(HttpRequest request) => request.Query.TryGetValue("k", out var k) ? k.ToString() : null;

    private static JsonObject Answer(ItemVocabulary vocabulary, Recommendations top, string? user)
    {
        var answer = new JsonObject();
        if (user is not null) answer["user"] = user;
        answer["items"] = vocabulary.ToJson(top.Items);
        answer["scores"] = Recommender.ScoresJson(top.Scores);
        return answer;
    }

    private static IResult Json(JsonObject body) => Results.Text(body.ToJsonString(), "application/json; charset=utf-8");

    private static IResult UnknownUser(string user) =>
        Problem(StatusCodes.Status404NotFound, "Unknown user", $"no events are stored for user \"{user}\" (post some to /v1/users/{{user}}/events first)");

    public static IResult Problem(int status, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: title);
}
