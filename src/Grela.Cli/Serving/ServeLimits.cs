namespace Grela.Cli.Serving;

/// <summary>The server's fixed limits (docs/serving.md lists them): a request past one is refused, never truncated.</summary>
internal static class ServeLimits
{
    /// <summary>Largest request body: room for a 100,000-item history of 40-byte ids.</summary>
    public const long MaxBodyBytes = 4 << 20;

    /// <summary>Most items in one request (events or a stateless history).</summary>
    public const int MaxItemsPerRequest = 100_000;

    /// <summary>Most recommendations in one answer (also at most the run's item count).</summary>
    public const int MaxK = 1000;

    /// <summary>Longest user id, in UTF-16 code units.</summary>
    public const int MaxUserLength = 256;
}
