namespace Grela.Training.Parallel;

/// <summary>
/// Another process that computes part of each step's gradient (see <see cref="GradientWorker"/>):
/// the trainer sends it its rows, computes its own rows meanwhile, then receives the worker's share.
/// </summary>
public interface IGradientPeer : IDisposable
{
    void Send(GradientRequest request);

    /// <summary>The reply to the last request (throws when the worker is gone).</summary>
    GradientReply Receive();
}

/// <summary>A peer on a pair of streams (a worker process's stdin and stdout, or a test's pipes).</summary>
public sealed class StreamGradientPeer(Stream toWorker, Stream fromWorker) : IGradientPeer
{
    public void Send(GradientRequest request) => GradientWire.Write(toWorker, request);

    public GradientReply Receive() => GradientWire.ReadReply(fromWorker);

    public void Dispose()
    {
        toWorker.Dispose();
        fromWorker.Dispose();
    }
}
