using System.Text.Json.Nodes;

namespace Grela.Training;

/// <summary>
/// What a run records about its dataset (metrics.json's "dataset", checkpoint headers). A resumed or
/// re-evaluated run must see the same summary, or it is training on different data.
/// </summary>
public sealed record DatasetInfo(string Name, int Users, int Items, long Interactions)
{
    /// <summary>{"name","users","items","interactions"}: the shape metrics.json and checkpoints share.</summary>
    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["users"] = Users,
        ["items"] = Items,
        ["interactions"] = Interactions,
    };

    public override string ToString() => $"{Name} ({Users} users, {Items} items, {Interactions} interactions)";
}
