using System.Security.Cryptography;
using Grela.Cli.Runs;
using Grela.Models;
using Grela.Models.RecGrela;

namespace Grela.Cli.Serving;

/// <summary>
/// Everything the endpoints read: the loaded run, its vocabulary, how it keeps user state, the
/// store and the users in memory, and the server's default K.
/// </summary>
internal sealed class ServedRun : IDisposable
{
    private ServedRun(LoadedRun run, IStateStore store, int top, int maxUsers)
    {
        Run = run;
        Store = store;
        Top = top;
        Vocabulary = new ItemVocabulary(run.Header.ItemTokens, run.ItemCount);
        Model = ModelFor(run, Vocabulary);
        Fingerprint = FingerprintOf(run);
        Users = new UserSessions(Model, store, Vocabulary, $"{Model.StateKind}:{Fingerprint}", maxUsers);
    }

    public LoadedRun Run { get; }
    public IStateStore Store { get; }
    public int Top { get; }
    public ItemVocabulary Vocabulary { get; }
    public IUserModel Model { get; }
    public UserSessions Users { get; }

    /// <summary>The architecture hash and the weights' SHA-256: a stored state is reused only under the same one.</summary>
    public string Fingerprint { get; }

    /// <summary>Takes ownership of <paramref name="run"/> and <paramref name="store"/>.</summary>
    public static ServedRun Create(LoadedRun run, IStateStore store, int top, int maxUsers = UserSessions.DefaultMaxResident) => new(run, store, top, maxUsers);

    /// <summary>
    /// How the run keeps a user's state: streaming for causal RecGRELA (stepped by the managed engine
    /// on the CPU in float32, by torch elsewhere), the history window otherwise.
    /// </summary>
    public static IUserModel ModelFor(LoadedRun run, ItemVocabulary vocabulary) => run.Model switch
    {
        RecGrelaRecommender causal when RecGrelaStreaming.Supports(causal.Spec) && ManagedStreaming.Fits(causal.Network) => new ManagedStreamingUserModel(causal.Network, vocabulary),
        RecGrelaRecommender causal when RecGrelaStreaming.Supports(causal.Spec) => new StreamingUserModel(causal.Network, vocabulary),
        _ => new WindowUserModel(run.Model, run.Config.MaxLen, vocabulary, run.Device.Device),
    };

    private static string FingerprintOf(LoadedRun run)
    {
        using var file = File.OpenRead(run.Folder.Best);
        return $"{run.Header.ModelHash}/{Convert.ToHexStringLower(SHA256.HashData(file))[..16]}";
    }

    public void Dispose()
    {
        Users.Dispose();
        Store.Dispose();
        Run.Dispose();
    }
}
