using Grela.Cli.Runs;
using Grela.Models.RecGrela;
using TorchSharp;

namespace Grela.Cli.Serving;

/// <summary>
/// Causal RecGRELA on the CPU in float32: <see cref="StreamingUserModel"/>'s answers, with each event
/// folded and the top-K read by the managed engine (<see cref="ManagedStreaming"/>, equal to the torch
/// step) instead of ~100 small libtorch ops. A new user's long first batch (an imported history) is
/// still folded by the parallel torch prefill, which beats stepping there. States are stored in the
/// same bytes as the torch path's, so either path reads what the other wrote.
/// </summary>
internal sealed class ManagedStreamingUserModel(RecGrelaModel.Module module, ItemVocabulary vocabulary) : IUserModel
{
    /// <summary>
    /// From this many events a new user's first batch goes through the torch prefill. With the bench
    /// model (width 64, 4 blocks, 3,417 items) on the 2-core Xeon, one prefill and 64 to 256 managed
    /// steps cost about the same; past that the parallel pass wins (1,024 items: ~3x).
    /// </summary>
    public const int PrefillFrom = 64;

    private readonly ManagedStreaming _engine = ManagedStreaming.From(module);

    // The empty state: the sizes a stored state must have, and the answer for a user without known items.
    private ManagedStreamState Empty => _empty ??= _engine.Start();
    private ManagedStreamState? _empty;

    public string StateKind => "streaming";

    public int? ReplayWindow => null;

    public UserState Fold(UserState? state, IReadOnlyList<long> items)
    {
        var events = (state?.Events ?? 0) + items.Count;
        if (state?.Managed is { } current)
            return new UserState(events, [], null, _engine.Fold(current, items));
        return new UserState(events, [], null, items.Count >= PrefillFrom ? Prefill(items) : _engine.Fold(Empty, items));
    }

    private ManagedStreamState Prefill(IReadOnlyList<long> items)
    {
        module.eval();
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var row = torch.tensor(items.ToArray(), [1, items.Count], torch.ScalarType.Int64);
        return _engine.Import(RecGrelaStreaming.Prefill(module, row));
    }

    public Recommendations Top(UserState state, int k) =>
        Recommender.Named(_engine.Top(state.Managed ?? Empty, k).Select(b => (b.Item, (double)b.Score)), vocabulary.Tokens);

    public byte[]? Encode(UserState state) => state.Managed is { } managed ? StreamStateCodec.Encode(managed) : null;

    public UserState? Decode(byte[] bytes, long events) =>
        StreamStateCodec.Decode(bytes, Empty) is { } managed ? new UserState(events, [], null, managed) : null;
}
