using Grela.Models;
using Grela.Training.Parallel;
using TorchSharp;

namespace Grela.Tests.Training;

/// <summary>
/// A gradient worker inside the test process: every request and reply goes through the wire format,
/// and the worker's model is a second instance whose parameters come from each request. The global
/// random stream is saved and restored around the work, as a separate process would leave it alone.
/// </summary>
internal sealed class InlinePeer : IGradientPeer
{
    private readonly ISequentialModel _model;
    private byte[]? _request;

    public InlinePeer(ISequentialModel model)
    {
        _model = model;
        _model.Module.train();
    }

    public int Requests { get; private set; }

    /// <summary>Replies to these 1-based requests with a native error instead of a gradient.</summary>
    public Func<int, bool> FailNatively { get; set; } = _ => false;

    public void Send(GradientRequest request)
    {
        using var buffer = new MemoryStream();
        GradientWire.Write(buffer, request);
        _request = buffer.ToArray();
        Requests++;
    }

    public GradientReply Receive()
    {
        var request = GradientWire.ReadRequest(new MemoryStream(_request!)) ?? throw new InvalidOperationException("no request");
        _request = null;
        GradientReply reply;
        if (FailNatively(Requests))
            reply = new GradientReply(GradientStatus.NativeError, double.NaN, [], "Expected false to be true, but got false. (raised from toFloat at c10/core/Scalar.h:140)");
        else
        {
            using var rng = torch.get_rng_state();
            reply = GradientWorker.Compute(_model, _model.Module.parameters().ToArray(), request);
            torch.set_rng_state(rng);
        }
        using var buffer = new MemoryStream();
        GradientWire.Write(buffer, reply);
        buffer.Position = 0;
        return GradientWire.ReadReply(buffer);
    }

    public void Dispose() => _model.Dispose();
}
