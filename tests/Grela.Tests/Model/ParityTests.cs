using Grela.IO;
using Grela.Models;
using Grela.Models.RecGrela;
using TorchSharp;
using static Grela.Tests.Ops.TensorTestKit;
using static TorchSharp.torch;

namespace Grela.Tests.Model;

/// <summary>Global mode reproduces the official PyTorch module on its own (random) weights.</summary>
public class ParityTests
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "parity", name + ".safetensors");

    [Theory]
    [InlineData("recgrela-small")]
    [InlineData("recgrela-ml1m-config")]
    public void Imported_official_weights_reproduce_the_official_outputs(string name)
    {
        using var content = Safetensors.Read(Fixture(name));
        var spec = RecGrelaWeights.SpecFrom(content.Tensors, content.Metadata, name);
        Assert.Equal(int.Parse(content.Metadata["n_items"]), spec.Items);
        Assert.Equal(int.Parse(content.Metadata["num_layers"]), spec.Layers);
        using var model = RecGrelaRecommender.Create(spec);
        RecGrelaWeights.Load(model.Module, RecGrelaWeights.Without(content.Tensors, "input.", "output."), name);
        model.Module.eval();
        using var _ = no_grad();
        var items = content.Tensors["input.item_seq"];
        var lengths = content.Tensors["input.item_seq_len"];

        using var hidden = model.LastHidden(items, lengths);
        using var scores = model.FullSortScores(items, lengths);
        var hiddenError = MaxRelativeError(content.Tensors["output.seq_output"], hidden);
        var scoreError = MaxRelativeError(content.Tensors["output.scores"], scores);
        Assert.True(hiddenError < 1e-4, $"{name}: seq_output relative error {hiddenError:E2}");
        Assert.True(scoreError < 1e-4, $"{name}: scores relative error {scoreError:E2}");

        // The full forward (every position through every block) read at the same place agrees too.
        using var all = model.HiddenStates(items);
        using var read = Readout.At(all, Readout.LastPositions(lengths)).squeeze(1);
        var fullError = MaxRelativeError(content.Tensors["output.seq_output"], read);
        Assert.True(fullError < 1e-4, $"{name}: full-forward seq_output relative error {fullError:E2}");
    }

    [Fact]
    public void Parity_check_would_notice_a_lost_bias()
    {
        // Guards the parity test itself: a port that ignores one perturbed bias must fail it.
        using var content = Safetensors.Read(Fixture("recgrela-small"));
        var spec = RecGrelaWeights.SpecFrom(content.Tensors, content.Metadata, "small");
        using var model = RecGrelaRecommender.Create(spec);
        RecGrelaWeights.Load(model.Module, RecGrelaWeights.Without(content.Tensors, "input.", "output."), "small");
        model.Module.eval();
        using var _ = no_grad();
        model.Network.Blocks[1].OutProj.bias!.zero_();
        using var scores = model.FullSortScores(content.Tensors["input.item_seq"], content.Tensors["input.item_seq_len"]);
        var error = MaxRelativeError(content.Tensors["output.scores"], scores);
        Assert.True(error > 1e-3, $"zeroing out_proj.bias moved the scores by only {error:E2}");
    }

    [Fact]
    public void State_dict_names_and_shapes_are_the_official_ones()
    {
        using var content = Safetensors.Read(Fixture("recgrela-small"));
        var official = RecGrelaWeights.Without(content.Tensors, "input.", "output.");
        using var module = new RecGrelaModel(Items: 37, Dim: 16, Heads: 2, Layers: 2, MaxLength: 12).Build();
        var ours = module.state_dict();
        Assert.Equal(official.Keys.Order(StringComparer.Ordinal), ours.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, tensor) in ours) Assert.Equal(official[key].shape, tensor.shape);
        // The rotation buffer is computed exactly as the official one.
        Assert.True(Identical(official["GRELA_block.0.attn.rope.rotations"], ours["GRELA_block.0.attn.rope.rotations"])
            || MaxRelativeError(official["GRELA_block.0.attn.rope.rotations"], ours["GRELA_block.0.attn.rope.rotations"]) < 1e-6);
    }

    [Theory]
    [InlineData(3417, 64, 4, 4, 200, 436_672)]
    [InlineData(37, 16, 2, 2, 12, 7_888)]
    public void Parameter_count_matches_the_official_model(int items, int dim, int heads, int layers, int maxLength, long expected)
    {
        foreach (var mode in new[] { AttentionMode.Global, AttentionMode.Causal })
        {
            using var module = new RecGrelaModel(items, dim, heads, layers, maxLength, mode).Build();
            Assert.Equal(expected, module.parameters().Sum(p => p.numel()));
        }
    }
}
