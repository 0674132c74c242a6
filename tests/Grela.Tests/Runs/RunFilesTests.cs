using System.Text.Json;
using Grela.Errors;
using Grela.Host;
using Grela.Runs;
using Grela.Training;

namespace Grela.Tests.Runs;

public sealed class RunFilesTests
{
    private static readonly Dictionary<string, double> Metrics =
        MetricNames.All.Select((n, i) => (n, v: i / 10.0)).ToDictionary(p => p.n, p => p.v);

    [Fact]
    public void Metrics_json_has_exactly_the_documented_keys()
    {
        var report = new MetricsReport("recgrela", new DatasetInfo("ml-1m", 6040, 3416, 999611), 12, 7, 1.5, 18, Metrics, Metrics, Metrics);
        using var json = JsonDocument.Parse(report.ToText());
        var root = json.RootElement;
        Assert.Equal(["model", "dataset", "epochs", "best_epoch", "seconds_per_epoch", "train_seconds", "valid", "test", "popularity"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["name", "users", "items", "interactions"], root.GetProperty("dataset").EnumerateObject().Select(p => p.Name));
        string[] metricKeys = ["HR@5", "HR@10", "HR@20", "NDCG@5", "NDCG@10", "NDCG@20", "MRR@5", "MRR@10", "MRR@20"];
        Assert.Equal(metricKeys, root.GetProperty("test").EnumerateObject().Select(p => p.Name));
        Assert.Equal(metricKeys, root.GetProperty("valid").EnumerateObject().Select(p => p.Name));
        Assert.Equal(metricKeys, root.GetProperty("popularity").GetProperty("test").EnumerateObject().Select(p => p.Name));
        Assert.Equal(999611, root.GetProperty("dataset").GetProperty("interactions").GetInt64());
    }

    [Fact]
    public void History_csv_has_one_row_per_epoch_with_validation_columns()
    {
        var csv = HistoryCsv.Format([new EpochRecord(0, 2.5, Metrics, 1.25, 100) { Steps = 4, Lr = 0.002 }, new EpochRecord(1, 2.0, Metrics, 1.5, 90) { Steps = 8, Lr = 0.001 }]);
        var lines = csv.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("epoch,loss,valid_HR@5,valid_HR@10,", lines[0]);
        Assert.EndsWith(",seconds,samples_per_s,steps,lr", lines[0]);
        Assert.EndsWith(",8,0.001", lines[2]);
        Assert.StartsWith("1,2,", lines[2]);
        Assert.Equal(lines[0].Split(',').Length, lines[1].Split(',').Length);
    }

    [Fact]
    public void Atomic_writes_replace_the_file_and_leave_no_temporary_behind()
    {
        var folder = Directory.CreateTempSubdirectory("grela-atomic-").FullName;
        try
        {
            var path = Path.Combine(folder, "metrics.json");
            AtomicFile.WriteAllText(path, "old");
            AtomicFile.WriteAllText(path, "new");
            Assert.Equal("new", File.ReadAllText(path));
            Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, _ => throw new InvalidOperationException("disk full")));
            Assert.Equal("new", File.ReadAllText(path));
            Assert.Equal([path], Directory.GetFiles(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Cuda_without_a_usable_gpu_is_a_user_error_and_auto_falls_back_to_cpu()
    {
        var error = Assert.Throws<UserInputException>(() => DeviceSelection.Select("cuda", () => false));
        Assert.Contains("no usable CUDA GPU", error.Message);
        Assert.Contains("GrelaBackend=cuda", error.Message);
        var auto = DeviceSelection.Select("auto", () => false);
        Assert.Equal(TorchSharp.DeviceType.CPU, auto.Device.type);
        Assert.Contains("falling back to CPU", auto.Note);
    }

    [Fact]
    public void A_new_run_refuses_a_folder_that_already_holds_one()
    {
        var folder = Directory.CreateTempSubdirectory("grela-run-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "config.json"), "{}");
            var error = Assert.Throws<UserInputException>(() => new RunFolder(folder).CreateNew());
            Assert.Equal($"{folder}: the folder already holds a run; choose another folder or resume that run", error.Message);
            Assert.Equal(RunFolderOccupant.Run, new RunFolder(folder).Occupant);
            Assert.Equal(RunFolderOccupant.File, new RunFolder(Path.Combine(folder, "config.json")).Occupant);
            Assert.Equal(RunFolderOccupant.Nothing, new RunFolder(Path.Combine(folder, "fresh")).Occupant);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
