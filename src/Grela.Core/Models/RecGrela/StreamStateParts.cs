using static TorchSharp.torch;

namespace Grela.Models.RecGrela;

/// <summary>
/// The one order of a streaming state's float parts, shared by the stored form (serve's GSS1 blobs)
/// and the managed state (<see cref="ManagedStreamState.Parts"/>): hidden, then per block S, z and the conv tail.
/// </summary>
public static class StreamStateParts
{
    /// <summary>The float tensors of <paramref name="state"/> in stored order.</summary>
    public static IEnumerable<Tensor> Parts(this RecGrelaStreamState state)
    {
        yield return state.Hidden;
        foreach (var b in state.Blocks)
        {
            yield return b.S;
            yield return b.Z;
            yield return b.ConvTail;
        }
    }
}
