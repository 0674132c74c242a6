using System.Globalization;
using Grela.IO;

namespace Grela.Models.RecGrela;

/// <summary>
/// What RecGRELA weights show of the spec that made them. <see cref="Items"/>, <see cref="Dim"/> and
/// <see cref="Layers"/> come from tensor shapes; <see cref="MaxLength"/> from the rotary table when
/// the file has it; <see cref="Heads"/> and <see cref="Mode"/> (its text as written) from the metadata
/// grela writes (<see cref="RecGrelaWeights.Metadata"/>), null when absent, as in official weights.
/// <see cref="Registers"/> and <see cref="SummarySlots"/> (0 when absent) from the shapes of the slot
/// tensors, which only causal models have: a file without metadata that holds them is causal.
/// The one reading of a RecGRELA state dict's shapes: <see cref="RecGrelaWeights.SpecFrom"/> turns it
/// into a spec, the CLI's import into config values.
/// </summary>
public sealed record RecGrelaWeightFacts(int Items, int Dim, int Layers, int? MaxLength, int? Heads, string? Mode, int Registers = 0, int SummarySlots = 0)
{
    /// <summary>The item table [Items, Dim].</summary>
    public const string EmbeddingKey = "item_embedding.weight";

    /// <summary>The first block's rotary table [MaxLength, Dim/Heads/2, 2].</summary>
    public const string RotationsKey = "GRELA_block.0.attn.rope.rotations";

    /// <summary>The first block's register keys [Registers, Dim] (causal models with registers only).</summary>
    public const string RegistersKey = "GRELA_block.0.attn.registers.0.k";

    /// <summary>The second block's summary-slot queries [SummarySlots, Dim] (block 0 has none).</summary>
    public const string SummarySlotsKey = "GRELA_block.1.attn.summary.0.q";

    /// <summary>The mode a file without metadata implies: slots exist in causal models only, otherwise official (global) weights.</summary>
    public string ImpliedMode => Mode ?? (Registers > 0 || SummarySlots > 0 ? nameof(AttentionMode.Causal) : nameof(AttentionMode.Global));

    /// <summary>Blocks are counted by their input projection: GRELA_block.0, .1, ... until one is absent.</summary>
    private static string BlockKey(int i) => $"GRELA_block.{i}.in_proj.weight";

    /// <summary>Reads the facts; a file without a 2-D item table is an error naming <paramref name="source"/>.</summary>
    public static RecGrelaWeightFacts Read(IReadOnlyDictionary<string, long[]> shapes, IReadOnlyDictionary<string, string> metadata, string source)
    {
        var (items, dim) = WeightShapes.ItemTable(shapes, EmbeddingKey, source, "RecGRELA");
        var layers = 0;
        while (shapes.ContainsKey(BlockKey(layers))) layers++;
        int? maxLength = shapes.TryGetValue(RotationsKey, out var rotations) && rotations.Length > 0 ? checked((int)rotations[0]) : null;
        int? heads = metadata.TryGetValue(RecGrelaWeights.HeadsKey, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var h) ? h : null;
        return new RecGrelaWeightFacts(items, dim, layers, maxLength, heads, metadata.GetValueOrDefault(RecGrelaWeights.ModeKey),
            Rows(shapes, RegistersKey), Rows(shapes, SummarySlotsKey));
    }

    /// <summary>The leading size of a tensor, 0 when the file does not have it (the model has no such slots).</summary>
    private static int Rows(IReadOnlyDictionary<string, long[]> shapes, string key) =>
        shapes.TryGetValue(key, out var shape) && shape.Length > 0 ? checked((int)shape[0]) : 0;
}
