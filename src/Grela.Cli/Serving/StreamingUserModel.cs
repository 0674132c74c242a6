using Grela.Cli.Runs;
using Grela.Models.RecGrela;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Cli.Serving;

/// <summary>
/// Causal RecGRELA: a user's state is the streaming state after their whole history (no window),
/// so an event costs one O(1) step whatever the history's length, and an answer is one matmul
/// against the item embeddings. A new user's first batch of events is folded in one parallel
/// prefill (equal to stepping, and much faster for a long imported history). This torch form serves
/// where the managed engine does not fit (a GPU, float64); on the CPU in float32
/// <see cref="ManagedStreamingUserModel"/> gives the same answers without per-op dispatch.
/// </summary>
internal sealed class StreamingUserModel(RecGrelaModel.Module module, ItemVocabulary vocabulary) : IUserModel
{
    // Read once: each read of a TorchSharp module's weight property makes a new tensor handle.
    private readonly Device _device = module.ItemEmbedding.weight!.device;

    // The empty state: the shapes a stored state must have, and the answer for a user without known items.
    private readonly RecGrelaStreamState _empty = RecGrelaStreaming.Start(module, 1);

    public string StateKind => "streaming";

    public int? ReplayWindow => null;

    public UserState Fold(UserState? state, IReadOnlyList<long> items)
    {
        module.eval();
        using var noGrad = torch.no_grad();
        var device = _device;
        if (state?.Stream is null)
        {
            using var row = torch.tensor(items.ToArray(), [1, items.Count], ScalarType.Int64, device);
            return new UserState((state?.Events ?? 0) + items.Count, [], RecGrelaStreaming.Prefill(module, row));
        }
        var current = state.Stream;
        foreach (var item in items)
        {
            using var step = torch.tensor(new[] { item }, [1], ScalarType.Int64, device);
            var next = RecGrelaStreaming.Step(module, current, step);
            // The caller still owns the state it passed in; only intermediate states are ours to free.
            if (!ReferenceEquals(current, state.Stream))
                current.Dispose();
            current = next;
        }
        return new UserState(state.Events + items.Count, [], current);
    }

    public Recommendations Top(UserState state, int k)
    {
        module.eval();
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        // No known item yet (a replayed history of items this run lacks): the empty state's answer.
        return Recommender.Top(RecGrelaStreaming.Scores(module, state.Stream ?? _empty)[0], k, vocabulary.Tokens);
    }

    public byte[]? Encode(UserState state) => state.Stream is { } stream ? StreamStateCodec.Encode(stream) : null;

    public UserState? Decode(byte[] bytes, long events)
    {
        return StreamStateCodec.Decode(bytes, _empty) is { } stream ? new UserState(events, [], stream) : null;
    }
}
