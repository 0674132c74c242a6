using Grela.Models.RecGrela;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Tests.Model;

/// <summary>Small seeded RecGRELAs for property tests: float64, eval mode, weights large enough that every branch matters.</summary>
public static class SmallModels
{
    public const int Items = 23;

    public static RecGrelaModel Spec(AttentionMode mode, int layers = 2, int maxLength = 16, int registers = 0, int summarySlots = 0) =>
        new(Items: Items, Dim: 8, Heads: 2, Layers: layers, MaxLength: maxLength, Mode: mode, Dropout: 0, DropPathRate: 0, Registers: registers,
            SummarySlots: summarySlots);

    /// <summary>0, 1 or 2 register slots, chosen by the seed, so causal properties cover models with and without them.</summary>
    public static int RegistersFor(int seed) => (int)((uint)seed % 3);

    /// <summary>0, 1 or 2 summary slots, chosen by the seed independently of <see cref="RegistersFor"/>.</summary>
    public static int SummarySlotsFor(int seed) => (int)((uint)seed / 3 % 3);

    public static RecGrelaModel.Module Build(RecGrelaModel spec, int seed)
    {
        var m = spec.Build();
        m.to(ScalarType.Float64);
        // Every weight is drawn from the seed alone (tests run in parallel, so the global RNG is
        // shared). The official N(0, 0.02) init would make attention a whisper next to the residual
        // path; a test of the attention's maths needs it audible.
        var g = new Generator((ulong)(uint)seed);
        using (no_grad())
        {
            foreach (var p in m.parameters()) p.copy_(torch.randn(p.shape, ScalarType.Float64, generator: g) * 0.3);
        }
        m.eval();
        return m;
    }

    /// <summary>Random real item ids [rows, length] in 1..Items-1.</summary>
    public static Tensor RandomItems(Generator g, long rows, long length) => torch.randint(1, Items, [rows, length], ScalarType.Int64, generator: g);
}
