using Grela.Runs;
using Grela.Tests.Training;
using Grela.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Tests.Hardening;

/// <summary>Issue 10: a checkpoint never holds NaN or infinite parameters or optimizer state.</summary>
[Collection(TorchSerial.Name)]
public sealed class NonFiniteCheckpointTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"grela-nonfinite-{Guid.NewGuid():N}");
    private readonly TinyRun _run;

    public NonFiniteCheckpointTests()
    {
        _run = new TinyRun(_root, epochs: 1);
        _run.Run();
    }

    public void Dispose()
    {
        _run.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void A_non_finite_parameter_is_never_saved(double value)
    {
        var before = File.ReadAllBytes(_run.Folder.Last);
        using (torch.no_grad())
            _run.Model.Module.parameters().Last()[0].fill_(value);
        var error = Assert.Throws<NonFiniteStateException>(() => _run.Store.Save(CheckpointKind.Last, TrainingProgress.Start));
        Assert.Contains("NaN or infinite", error.Message);
        Assert.Equal(before, File.ReadAllBytes(_run.Folder.Last));
    }

    [Fact]
    public void A_non_finite_optimizer_state_is_never_saved()
    {
        var before = File.ReadAllBytes(_run.Folder.Last);
        var state = _run.Trainer.Optimizer.state_dict().State[0];
        var moment = state.GetType().GetFields().Select(f => f.GetValue(state)).OfType<Tensor>().First(t => t.is_floating_point() && t.numel() > 0);
        using (torch.no_grad())
            moment.view(-1)[0].fill_(double.NaN);
        var error = Assert.Throws<NonFiniteStateException>(() => _run.Store.Save(CheckpointKind.Best, TrainingProgress.Start));
        Assert.Contains("optimizer", error.Message);
        Assert.Equal(before, File.ReadAllBytes(_run.Folder.Last));
    }

    [Fact]
    public void A_finite_state_saves_as_before() => _run.Store.Save(CheckpointKind.Last, TrainingProgress.Start);
}
