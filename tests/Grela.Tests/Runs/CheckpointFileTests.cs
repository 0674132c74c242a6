using Grela.Runs;
using Grela.Tests.Training;
using TorchSharp;

namespace Grela.Tests.Runs;

[Collection(TorchSerial.Name)]
public sealed class CheckpointFileTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"grela-ckpt-{Guid.NewGuid():N}");
    private readonly TinyRun _run;

    public CheckpointFileTests()
    {
        _run = new TinyRun(_root, epochs: 1);
        _run.Run();
    }

    public void Dispose()
    {
        _run.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void A_written_checkpoint_reads_back_with_its_header_and_weights()
    {
        var checkpoint = CheckpointFile.Read(_run.Folder.Last);
        Assert.Equal(_run.Config, checkpoint.Header.Config);
        Assert.Equal(_run.DataSet.Summary, checkpoint.Header.Dataset);
        Assert.Equal<string>([.. _run.DataSet.ItemTokens], [.. checkpoint.Header.ItemTokens]);
        Assert.Equal(1, checkpoint.Header.Progress.Epoch);
        Assert.Single(checkpoint.Header.Progress.History);
        var before = _run.Parameters();
        using (torch.no_grad())
            foreach (var p in _run.Model.Module.parameters())
                p.zero_();
        checkpoint.LoadModel(_run.Model.Module, _run.Hash, _run.Folder.Last);
        Assert.Equal(before, _run.Parameters());
        Assert.Empty(Directory.GetFiles(_root, "*.tmp-*"));
    }

    [Fact]
    public void A_truncated_checkpoint_is_a_clear_error()
    {
        var path = Path.Combine(_root, "truncated.ckpt");
        var bytes = File.ReadAllBytes(_run.Folder.Last);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<CheckpointException>(() => CheckpointFile.Read(path));
        Assert.Contains("truncated", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void A_corrupt_checkpoint_is_a_clear_error()
    {
        var path = Path.Combine(_root, "corrupt.ckpt");
        var bytes = File.ReadAllBytes(_run.Folder.Last);
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<CheckpointException>(() => CheckpointFile.Read(path));
        Assert.Contains("checksum", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_checkpoint_is_a_clear_error()
    {
        var path = Path.Combine(_root, "notes.ckpt");
        File.WriteAllText(path, "user item\n1 2\n");
        var error = Assert.Throws<CheckpointException>(() => CheckpointFile.Read(path));
        Assert.Contains("not a Grela checkpoint", error.Message);
    }

    [Fact]
    public void Loading_into_a_different_model_is_a_clear_error()
    {
        var checkpoint = CheckpointFile.Read(_run.Folder.Last);
        using var other = new TinyModel(_run.DataSet.ItemCount, 16);
        var error = Assert.Throws<CheckpointException>(() =>
            checkpoint.LoadModel(other.Module, ModelFingerprint.Of("tiny", other.Module), _run.Folder.Last));
        Assert.Contains("different model", error.Message);
    }
}
