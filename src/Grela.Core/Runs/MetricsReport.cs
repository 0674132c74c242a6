using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grela.Runs;

/// <summary>
/// metrics.json, a contract with scripts: {"model", "dataset": {"name","users","items","interactions"},
/// "epochs", "best_epoch", "seconds_per_epoch", "train_seconds", "valid": {metric: value},
/// "test": {metric: value}, "popularity": {"test": {metric: value}}} with metric names HR@K, NDCG@K,
/// MRR@K for K in 5, 10, 20. valid/test are the best checkpoint's.
/// </summary>
public sealed record MetricsReport(
    string Model,
    DatasetInfo Dataset,
    int Epochs,
    int BestEpoch,
    double SecondsPerEpoch,
    double TrainSeconds,
    IReadOnlyDictionary<string, double> Valid,
    IReadOnlyDictionary<string, double> Test,
    IReadOnlyDictionary<string, double> PopularityTest)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public JsonObject ToJson() => new()
    {
        ["model"] = Model,
        ["dataset"] = Dataset.ToJson(),
        ["epochs"] = Epochs,
        ["best_epoch"] = BestEpoch,
        ["seconds_per_epoch"] = Math.Round(SecondsPerEpoch, 3),
        ["train_seconds"] = Math.Round(TrainSeconds, 3),
        ["valid"] = Metrics(Valid),
        ["test"] = Metrics(Test),
        ["popularity"] = new JsonObject { ["test"] = Metrics(PopularityTest) },
    };

    public string ToText() => ToJson().ToJsonString(Indented);

    public void Write(string path) => AtomicFile.WriteAllText(path, ToText() + "\n");

    public static JsonObject Metrics(IReadOnlyDictionary<string, double> metrics)
    {
        var json = new JsonObject();
        foreach (var (name, value) in MetricNames.Ordered(metrics))
            json[name] = double.IsFinite(value) ? JsonValue.Create(value) : null;
        return json;
    }
}
