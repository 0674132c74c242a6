using Grela.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Grela.Tests.Training;

/// <summary>
/// A deliberately small recommender for trainer tests (not shipped): each position predicts the next
/// item from its own item only, h = Dropout(tanh(W e_i)), scores h . E^T. Right padding. Dropout
/// makes the RNG state matter, so resume tests can fail when it is not restored.
/// </summary>
internal sealed class TinyModel : ISequentialModel
{
    private readonly TinyNet _net;

    public TinyModel(int itemCount, int dim, double dropout = 0.2) => _net = new TinyNet(itemCount, dim, dropout);

    /// <summary>When set, the loss of that call (1-based) is NaN: a divergence on demand.</summary>
    public int? PoisonCall { get; set; }

    public int LossCalls { get; private set; }

    /// <summary>
    /// When set, the loss of that call (1-based) stays finite but its gradient is not: it adds
    /// sqrt(|w - w|), whose value is 0 and whose derivative at 0 is infinite.
    /// </summary>
    public int? PoisonGradientCall { get; set; }

    /// <summary>
    /// When it returns true for a 1-based loss call, that call fails as libtorch does (an
    /// ExternalException) after its forward pass has drawn its dropout masks.
    /// </summary>
    public Func<int, bool>? FailAfterForward { get; set; }

    /// <summary>The text of the native error seen in a long run (shortened).</summary>
    public const string NativeMessage = "Expected false to be true, but got false.  (Could this error message be improved?  If so, please report an enhancement request to PyTorch.)\n" +
        "Exception raised from toFloat at /pytorch/c10/core/Scalar.h:140 (most recent call first):\nframe #0: c10::Error::Error() + 0x1 (0x0 in libc10.so)";

    /// <summary>Called with the 1-based loss call count before each loss (tests stop a run mid-step).</summary>
    public Action<int>? OnLoss { get; set; }

    public PaddingSide Padding => PaddingSide.Right;
    public IReadOnlyList<TrainingStyle> TrainingStyles => [TrainingStyle.AllPositions, TrainingStyle.Prefix];
    public nn.Module Module => _net;

    public Tensor FullSortScores(Tensor items, Tensor lengths)
    {
        using var scope = NewDisposeScope();
        var hidden = _net.forward(items);
        var last = (lengths - 1).clamp_min(0).view(-1, 1, 1).expand(-1, 1, hidden.shape[2]);
        return hidden.gather(1, last).squeeze(1).matmul(_net.Embedding.weight!.t()).MoveToOuterDisposeScope();
    }

    public Tensor Loss(Tensor items, Tensor lengths, Tensor targets, TrainingStyle style)
    {
        using var scope = NewDisposeScope();
        LossCalls++;
        OnLoss?.Invoke(LossCalls);
        Tensor loss;
        if (style == TrainingStyle.Prefix)
            loss = cross_entropy(FullSortScores(items, lengths), targets);
        else
        {
            var scores = _net.forward(items).matmul(_net.Embedding.weight!.t());
            loss = cross_entropy(scores.reshape(-1, scores.shape[2]), targets.reshape(-1), ignore_index: 0);
        }
        if (PoisonGradientCall == LossCalls)
        {
            var w = _net.parameters().First();
            loss = loss + (w - w.detach()).abs().sqrt().sum();
        }
        if (PoisonCall == LossCalls)
            loss = loss * double.NaN;
        if (FailAfterForward?.Invoke(LossCalls) == true)
            throw new System.Runtime.InteropServices.ExternalException(NativeMessage);
        return loss.MoveToOuterDisposeScope();
    }

    public void Dispose() => _net.Dispose();

    private sealed class TinyNet : nn.Module<Tensor, Tensor>
    {
        public readonly Embedding Embedding;
        private readonly Linear _proj;
        private readonly Dropout _drop;

        public TinyNet(int itemCount, int dim, double dropout) : base("tiny")
        {
            Embedding = nn.Embedding(itemCount, dim, padding_idx: 0);
            _proj = nn.Linear(dim, dim);
            _drop = nn.Dropout(dropout);
            register_module("item_embedding", Embedding);
            register_module("proj", _proj);
            register_module("drop", _drop);
        }

        public override Tensor forward(Tensor items) => _drop.forward(tanh(_proj.forward(Embedding.forward(items))));
    }
}
