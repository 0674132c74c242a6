using System.Collections.Immutable;
using Grela.Cli.Runs;
using Grela.Models;
using Microsoft.AspNetCore.Http;
using TorchSharp;

namespace Grela.Cli.Serving;

/// <summary>
/// Baselines and global-mode RecGRELA: they see only the last max-len items, so the state is that
/// window and every answer is one forward over it (the same computation as `grela recommend`).
/// </summary>
internal sealed class WindowUserModel(ISequentialModel model, int maxLen, ItemVocabulary vocabulary, torch.Device device) : IUserModel
{
    public string StateKind => "window";

    public int? ReplayWindow => maxLen;

    public Recommendations Top(UserState state, int k) => state.Recent.IsEmpty
        ? throw new RequestProblem(StatusCodes.Status409Conflict, "No usable history",
            "none of this user's stored items is in the served run's dataset (the state file was written for another run)")
        : Recommender.Recommend(model, state.Recent, maxLen, k, vocabulary.Tokens, device);

    public UserState Fold(UserState? state, IReadOnlyList<long> items)
    {
        var recent = state?.Recent ?? [];
        var kept = recent.Concat(items).TakeLast(maxLen).ToImmutableArray();
        return new UserState((state?.Events ?? 0) + items.Count, kept, null);
    }

    public byte[]? Encode(UserState state) => null;

    public UserState? Decode(byte[] bytes, long events) => null;
}
