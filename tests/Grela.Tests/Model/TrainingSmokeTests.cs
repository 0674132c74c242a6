using Grela.Models;
using Grela.Models.RecGrela;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Tests.Model;

/// <summary>A few Adam steps on a tiny learnable dataset lower the loss in both modes.</summary>
public class TrainingSmokeTests
{
    const int Items = 12, Length = 8, Rows = 32;

    /// <summary>Rows of cycling ids (next = current + 1, wrapping over 1..Items-1), right-padded to random lengths.</summary>
    static (Tensor Items, Tensor Lengths, Tensor NextPerPosition, Tensor NextAfterLast) Data(int seed)
    {
        var g = new Generator(1234 + (ulong)seed);
        var start = torch.randint(1, Items, [Rows, 1], ScalarType.Int64, generator: g);
        var lengths = torch.randint(2, Length + 1, [Rows], ScalarType.Int64, generator: g);
        var steps = torch.arange(Length + 1, ScalarType.Int64).unsqueeze(0);
        var ids = (start - 1 + steps) % (Items - 1) + 1;                      // [Rows, Length + 1]
        var real = steps.narrow(1, 0, Length).lt(lengths.unsqueeze(1));
        var items = ids.narrow(1, 0, Length) * real;
        var nextPerPosition = ids.narrow(1, 1, Length) * real;
        var nextAfterLast = ids.gather(1, lengths.unsqueeze(1)).squeeze(1);
        return (items, lengths, nextPerPosition, nextAfterLast);
    }

    [Theory]
    [InlineData(AttentionMode.Global, TrainingStyle.Prefix)]
    [InlineData(AttentionMode.Causal, TrainingStyle.AllPositions)]
    [InlineData(AttentionMode.Causal, TrainingStyle.Prefix)]
    public void Adam_steps_reduce_the_loss(AttentionMode mode, TrainingStyle style)
    {
        torch.manual_seed(7);
        using var model = RecGrelaRecommender.Create(new RecGrelaModel(Items, Dim: 16, Heads: 2, Layers: 2, MaxLength: Length, Mode: mode));
        Assert.Contains(style, model.TrainingStyles);
        var (items, lengths, perPosition, afterLast) = Data(0);
        var targets = style == TrainingStyle.Prefix ? afterLast : perPosition;
        using var optimizer = optim.Adam(model.Module.parameters(), lr: 0.01);
        model.Module.train();
        var losses = new List<float>();
        for (int step = 0; step < 30; step++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = model.Loss(items, lengths, targets, style);
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }
        Assert.All(losses, l => Assert.True(float.IsFinite(l)));
        Assert.True(losses[^1] < 0.7 * losses[0], $"{mode}/{style}: loss went from {losses[0]:F3} to {losses[^1]:F3}");
    }

    /// <summary>
    /// The trainer drops a prefix batch's columns after its longest row (length buckets): exact only
    /// because RecGRELA's prefix loss is the same without them, dropout and drop path included.
    /// </summary>
    [Theory]
    [InlineData(AttentionMode.Causal)]
    [InlineData(AttentionMode.Global)]
    public void Prefix_loss_and_its_gradient_ignore_columns_after_the_longest_row(AttentionMode mode)
    {
        torch.manual_seed(11);
        using var model = RecGrelaRecommender.Create(new RecGrelaModel(Items, Dim: 16, Heads: 2, Layers: 2, MaxLength: Length, Mode: mode, Dropout: 0.3));
        Assert.True(((ISequentialModel)model).IgnoresTrailingPadding);
        var (items, _, _, _) = Data(2);
        // Rows of at most 5 items, right-padded to the full 8 columns.
        using var lengths = torch.tensor(new long[] { 5, 3, 1, 4 });
        using var window = (items.narrow(0, 0, 4) * torch.arange(Length, ScalarType.Int64).unsqueeze(0).lt(lengths.unsqueeze(1)));
        using var targets = torch.tensor(new long[] { 2, 7, 9, 4 });
        model.Module.train();
        (float Loss, float[] Grad) LossAt(Tensor input)
        {
            using var scope = torch.NewDisposeScope();
            foreach (var p in model.Module.parameters()) p.grad = null;
            torch.manual_seed(5);
            var loss = model.Loss(input, lengths, targets, TrainingStyle.Prefix);
            loss.backward();
            var grads = model.Module.parameters().Where(p => p.grad is not null).Select(p => p.grad!.abs().sum().item<float>()).ToArray();
            return (loss.item<float>(), grads);
        }
        var full = LossAt(window);
        var cut = LossAt(window.narrow(1, 0, 5).contiguous());
        // Causal mode draws its dropout masks over the columns it is given; without dropout the two agree exactly.
        if (mode == AttentionMode.Global)
        {
            Assert.Equal(full.Loss, cut.Loss);
            Assert.Equal(full.Grad, cut.Grad);
        }
        else
        {
            model.Module.eval();
            using var _ = no_grad();
            using var a = model.Loss(window, lengths, targets, TrainingStyle.Prefix);
            using var b = model.Loss(window.narrow(1, 0, 5).contiguous(), lengths, targets, TrainingStyle.Prefix);
            Assert.Equal(a.item<float>(), b.item<float>(), 5);
            Assert.True(float.IsFinite(cut.Loss) && cut.Grad.Length == full.Grad.Length, $"{full.Grad.Length} gradients, {cut.Grad.Length} cut");
        }
    }

    [Fact]
    public void Global_mode_refuses_all_position_training()
    {
        using var model = RecGrelaRecommender.Create(new RecGrelaModel(Items, Dim: 8, Heads: 2, Layers: 1, MaxLength: Length));
        var (items, lengths, perPosition, _) = Data(1);
        var error = Assert.Throws<ArgumentException>(() => model.Loss(items, lengths, perPosition, TrainingStyle.AllPositions));
        Assert.Contains("Prefix", error.Message);
    }

    [Fact]
    public void Global_mode_reads_windows_as_the_official_right_padded_window_of_max_length()
    {
        using var model = RecGrelaRecommender.Create(new RecGrelaModel(Items, Dim: 8, Heads: 2, Layers: 2, MaxLength: Length, Dropout: 0, DropPathRate: 0));
        model.Module.eval();
        using var _ = no_grad();
        using var shortWindow = torch.tensor(new long[] { 3, 4, 5, 0, 3, 0 }).view(2, 3);
        using var lengths = torch.tensor(new long[] { 3, 1 });
        using var padded = nn.functional.pad(shortWindow, [0, Length - 3]);
        using var a = model.FullSortScores(shortWindow, lengths);
        using var b = model.FullSortScores(padded, lengths);
        Assert.True(a.eq(b).all().item<bool>(), "a short window must be scored as its right-padded MaxLength window");
        using var tooLong = torch.ones([1, Length + 1], ScalarType.Int64);
        var error = Assert.Throws<ArgumentException>(() => model.FullSortScores(tooLong, torch.tensor(new long[] { Length + 1 })));
        Assert.Contains($"at most MaxLength = {Length}", error.Message);
    }
}
