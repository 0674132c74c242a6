using System.Net;

namespace Grela.Tests.Serving;

/// <summary>
/// Many clients at once give the same final states as the same events applied one by one: users
/// in parallel do not disturb each other, and concurrent events of one user are serialized (each
/// lands whole, in some order, and the state is the one of that order).
/// </summary>
[Collection(ServeCollection.Name)]
public class ServeConcurrencyTests(ServeRunsFixture runs)
{
    [Fact]
    public async Task Concurrent_clients_end_in_the_states_of_sequential_application()
    {
        var t = ServeApiTests.Tokens(runs.Causal);
        var random = new Random(7);
        // 16 users with 6 events of 1..3 items each, sent by one client per user, all at once.
        var plans = Enumerable.Range(0, 16).ToDictionary(u => $"user-{u}",
            _ => Enumerable.Range(0, 6).Select(_ => Enumerable.Range(0, random.Next(1, 4)).Select(_ => t[random.Next(t.Length)]).ToArray()).ToList());
        var hot = Enumerable.Range(0, 24).Select(_ => t[random.Next(t.Length)]).ToArray();
        await using var concurrent = await ServeClient.Start(runs.Causal, runs.NewStateFile());
        var clients = plans.Select(p => Task.Run(async () =>
        {
            foreach (var items in p.Value)
                Assert.Equal(HttpStatusCode.OK, (await concurrent.Events(p.Key, items)).Status);
        })).ToList();
        // One user hit by 24 clients at once, one item each: every event must land, whole.
        clients.AddRange(hot.Select(item => Task.Run(async () => Assert.Equal(HttpStatusCode.OK, (await concurrent.Events("hot", item)).Status))));
        await Task.WhenAll(clients);
        var hotOrder = (await concurrent.Get("/v1/users/hot/history")).Items;
        Assert.Equal(hot.Order(StringComparer.Ordinal), hotOrder.Order(StringComparer.Ordinal));

        await using var sequential = await ServeClient.Start(runs.Causal, runs.NewStateFile());
        foreach (var (user, events) in plans)
            foreach (var items in events)
                await sequential.Events(user, items);
        foreach (var item in hotOrder)
            await sequential.Events("hot", item);
        foreach (var user in plans.Keys.Append("hot"))
            ServeApiTests.Same(await sequential.Get($"/v1/users/{user}/recommendations"), await concurrent.Get($"/v1/users/{user}/recommendations"), tolerance: 0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_memory_bound_drops_idle_users_and_brings_them_back_from_the_store_unchanged(bool causal)
    {
        var run = causal ? runs.Causal : runs.Window;
        var t = ServeApiTests.Tokens(run);
        var random = new Random(11);
        // 30 users in 3 rounds of events, concurrently, on a server that holds at most 5 of them.
        var plans = Enumerable.Range(0, 30).ToDictionary(u => $"u{u}",
            _ => Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, random.Next(1, 4)).Select(_ => t[random.Next(t.Length)]).ToArray()).ToList());
        await using var bounded = await ServeClient.Start(run, runs.NewStateFile(), maxUsers: 5);
        for (var round = 0; round < 3; round++)
            await Task.WhenAll(plans.Select(p => Task.Run(async () =>
                Assert.Equal(HttpStatusCode.OK, (await bounded.Events(p.Key, p.Value[round])).Status))));
        var metrics = (await bounded.Get("/metrics")).Body;
        var resident = int.Parse(Metric(metrics, "grela_serve_resident_users"));
        Assert.InRange(resident, 1, 5 + 1);
        Assert.True(long.Parse(Metric(metrics, "grela_serve_evicted_users_total")) >= 25, metrics);

        await using var unbounded = await ServeClient.Start(run, runs.NewStateFile());
        foreach (var (user, events) in plans)
            foreach (var items in events)
                await unbounded.Events(user, items);
        foreach (var user in plans.Keys)
        {
            ServeApiTests.Same(await unbounded.Get($"/v1/users/{user}/recommendations"), await bounded.Get($"/v1/users/{user}/recommendations"));
            Assert.Equal(plans[user].SelectMany(e => e), (await bounded.Get($"/v1/users/{user}/history")).Items);
        }
    }

    private static string Metric(string text, string name) =>
        text.Split('\n').Single(line => line.StartsWith(name + " ", StringComparison.Ordinal))[(name.Length + 1)..];
}
