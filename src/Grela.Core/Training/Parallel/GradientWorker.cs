using System.Runtime.InteropServices;
using Grela.Errors;
using Grela.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Training.Parallel;

/// <summary>
/// The worker side of data-parallel training. It keeps no state between steps: each request carries
/// the parameters, the rows and the seed, so a worker never drifts from the trainer, and a resumed
/// run needs nothing from it. Processes rather than threads, because TorchSharp frees the Scalars it
/// makes for a call in their finalizers, and a second allocating thread makes collections during
/// native calls frequent (docs/toolchain.md).
/// </summary>
public static class GradientWorker
{
    /// <summary>Answers requests from <paramref name="input"/> on <paramref name="output"/> until the input ends.</summary>
    public static void Serve(ISequentialModel model, Stream input, Stream output)
    {
        model.Module.train();
        var parameters = model.Module.parameters().ToArray();
        while (GradientWire.ReadRequest(input) is { } request)
            GradientWire.Write(output, Compute(model, parameters, request));
    }

    /// <summary>One share of a step: load the parameters, seed the stream, backward, return loss and gradient.</summary>
    public static GradientReply Compute(ISequentialModel model, IReadOnlyList<Tensor> parameters, GradientRequest r)
    {
        var expected = parameters.Sum(p => p.numel());
        if (r.Parameters.Length != expected)
            return Failure(GradientStatus.Error, $"the request carries {r.Parameters.Length} parameters, the worker's model has {expected}");
        using var scope = torch.NewDisposeScope();
        try
        {
            Load(parameters, r.Parameters);
            torch.manual_seed((long)(r.Seed & long.MaxValue));
            var items = torch.tensor(r.Items, r.ItemsShape);
            var lengths = torch.tensor(r.Lengths);
            var targets = torch.tensor(r.Targets, r.TargetsShape);
            var value = GradientPass.Accumulate(model, items, lengths, targets, r.Style, r.MicroRows, r.Total, CancellationToken.None) ?? double.NaN;
            if (!double.IsFinite(value))
                return new GradientReply(GradientStatus.Ok, value, [], "");
            return new GradientReply(GradientStatus.Ok, value, Flatten(parameters.Select(p => p.grad ?? torch.zeros_like(p))), "");
        }
        catch (ExternalException e)
        {
            return Failure(GradientStatus.NativeError, NativeErrorText.Summary(e));
        }
        catch (ArgumentException e)
        {
            return Failure(GradientStatus.Error, e.Message);
        }
    }

    /// <summary>The tensors, in order, as one float32 array.</summary>
    public static float[] Flatten(IEnumerable<Tensor> tensors)
    {
        using var scope = torch.NewDisposeScope();
        using var flat = torch.cat(tensors.Select(t => t.detach().reshape(-1).to_type(ScalarType.Float32)).ToArray());
        return flat.data<float>().ToArray();
    }

    /// <summary>
    /// The inverse of <see cref="Flatten"/>: each tensor with its part of <paramref name="flat"/>,
    /// a view shaped like it (flat's dtype and device).
    /// </summary>
    public static IEnumerable<(Tensor Tensor, Tensor Part)> Parts(IReadOnlyList<Tensor> tensors, Tensor flat)
    {
        long offset = 0;
        foreach (var t in tensors)
        {
            var n = t.numel();
            yield return (t, flat.narrow(0, offset, n).view(t.shape));
            offset += n;
        }
    }

    private static void Load(IReadOnlyList<Tensor> parameters, float[] values)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        using var flat = torch.tensor(values);
        foreach (var (p, part) in Parts(parameters, flat))
        {
            p.copy_(part);
            p.grad = null;
        }
    }

    private static GradientReply Failure(GradientStatus status, string message) => new(status, double.NaN, [], message);
}
