using Grela.Errors;
using Grela.IO;
using Grela.Models.RecGrela;
using TorchSharp;
using static Grela.Tests.Ops.TensorTestKit;
using static TorchSharp.torch;

namespace Grela.Tests.Model;

/// <summary>Loading and saving weights under the official names; safetensors reading and writing.</summary>
public class WeightsTests
{
    static RecGrelaModel Small => new(Items: 11, Dim: 8, Heads: 2, Layers: 2, MaxLength: 6, Mode: AttentionMode.Causal);

    [Fact]
    public void Load_lists_every_missing_unexpected_and_misshaped_name()
    {
        using var m = Small.Build();
        var weights = m.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        weights.Remove("GRELA_block.1.mlp.fc2.bias");
        weights["GRELA_block.0.attn.qk.weight"] = torch.zeros(8, 8);
        weights["GRELA_block.0.attn.v.weight"] = torch.zeros(8, 8);
        var before = m.ItemEmbedding.weight!.clone();
        weights["item_embedding.weight"] = torch.ones(11, 8);
        var error = Assert.Throws<UserInputException>(() => RecGrelaWeights.Load(m, weights, "weights.safetensors"));
        Assert.StartsWith("weights.safetensors: the weights do not fit this RecGRELA (3 problems)", error.Message);
        Assert.Contains("missing \"GRELA_block.1.mlp.fc2.bias\" (expected shape [8])", error.Message);
        Assert.Contains("\"GRELA_block.0.attn.qk.weight\" has shape [8, 8], expected [16, 8]", error.Message);
        Assert.Contains("unexpected \"GRELA_block.0.attn.v.weight\"", error.Message);
        Assert.True(Identical(before, m.ItemEmbedding.weight!), "a failed load changed the weights");
    }

    [Fact]
    public void Saved_weights_load_into_a_fresh_model_with_identical_outputs()
    {
        var path = Path.Combine(Path.GetTempPath(), $"grela-weights-{Guid.NewGuid():N}.safetensors");
        try
        {
            using var items = torch.tensor(new long[] { 3, 1, 4, 1, 5, 0 }).view(1, 6);
            using var lengths = torch.tensor(new long[] { 5 });
            torch.manual_seed(1);
            using var a = RecGrelaRecommender.Create(Small);
            a.Module.eval();
            RecGrelaWeights.Save(a.Network, path);
            torch.manual_seed(2);
            using var b = RecGrelaRecommender.Create(Small);
            b.Module.eval();
            using var content = Safetensors.Read(path);
            Assert.Equal(Small, RecGrelaWeights.SpecFrom(content.Tensors, content.Metadata, path));
            Assert.Equal(AttentionMode.Global, RecGrelaWeights.SpecFrom(content.Tensors, content.Metadata, path, AttentionMode.Global).Mode);
            RecGrelaWeights.LoadFile(b.Module, path);
            using var _ = no_grad();
            Assert.True(Identical(a.FullSortScores(items, lengths), b.FullSortScores(items, lengths)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Spec_from_weights_needs_the_number_of_heads()
    {
        using var m = Small.Build();
        var weights = m.state_dict();
        var error = Assert.Throws<UserInputException>(() => RecGrelaWeights.SpecFrom(weights, new Dictionary<string, string>(), "w.safetensors"));
        Assert.Contains("w.safetensors: the number of heads is not stored in the weights; expected metadata \"num_heads\"", error.Message);
        var bad = new Dictionary<string, string> { ["num_heads"] = "2", ["attention_mode"] = "Sideways" };
        error = Assert.Throws<UserInputException>(() => RecGrelaWeights.SpecFrom(weights, bad, "w.safetensors"));
        Assert.Contains("\"attention_mode\" is \"Sideways\", expected one of Global, Causal", error.Message);
        Assert.Equal(Small with { Mode = AttentionMode.Global }, RecGrelaWeights.SpecFrom(weights, new Dictionary<string, string>(), "w", heads: 2));
    }

    [Fact]
    public void Weight_facts_read_shapes_and_metadata_once_for_spec_and_import()
    {
        using var m = Small.Build();
        var shapes = m.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        Assert.Equal(new RecGrelaWeightFacts(11, 8, 2, 6, 2, "Causal"), RecGrelaWeightFacts.Read(shapes, RecGrelaWeights.Metadata(Small), "w"));
        Assert.Equal(new RecGrelaWeightFacts(11, 8, 2, 6, null, null), RecGrelaWeightFacts.Read(shapes, new Dictionary<string, string>(), "w"));
        shapes.Remove("item_embedding.weight");
        var error = Assert.Throws<UserInputException>(() => RecGrelaWeightFacts.Read(shapes, new Dictionary<string, string>(), "w"));
        Assert.Equal("w: no 2-D \"item_embedding.weight\" tensor, so this is not a RecGRELA state dict", error.Message);
    }

    [Fact]
    public void Misfits_are_grouped_missing_misshaped_mistyped_then_unexpected_sorted()
    {
        var model = new[] { KeyValuePair.Create("a", new long[] { 2 }), KeyValuePair.Create("b", new long[] { 3 }), KeyValuePair.Create("c", new long[] { 4 }) };
        var file = new Dictionary<string, long[]> { ["z"] = [1], ["b"] = [3], ["a"] = [5], ["y"] = [1] };
        Assert.Equal(
        [
            "missing \"c\" (expected shape [4])",
            "\"a\" has shape [5], expected [2]",
            "b is wrong",
            "unexpected \"y\"",
            "unexpected \"z\"",
        ], WeightShapes.Misfits(model, file, name => $"{name} is wrong"));
        Assert.Empty(WeightShapes.Misfits(model, new Dictionary<string, long[]> { ["a"] = [2], ["b"] = [3], ["c"] = [4] }));
    }

    [Fact]
    public void Safetensors_round_trips_dtypes_shapes_and_metadata()
    {
        using var f = torch.randn(3, 4);
        using var d = torch.randn([2], ScalarType.Float64);
        using var i = torch.tensor(new long[] { -1, 0, 7 });
        using var e = torch.zeros([0, 5]);
        var bytes = Safetensors.Serialize([new("f", f), new("d", d), new("i", i), new("empty", e)], new Dictionary<string, string> { ["k"] = "v" });
        Assert.Equal(0, (int)(BitConverter.ToUInt64(bytes, 0) % 8));
        using var back = Safetensors.Parse(bytes, "memory");
        Assert.Equal("v", back.Metadata["k"]);
        Assert.True(Identical(f, back.Tensors["f"]));
        Assert.True(Identical(d, back.Tensors["d"]));
        Assert.True(Identical(i, back.Tensors["i"]));
        Assert.Equal(new long[] { 0, 5 }, back.Tensors["empty"].shape);
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 }, "expected at least 8 bytes")]
    [InlineData(new byte[] { 100, 0, 0, 0, 0, 0, 0, 0, (byte)'{' }, "header length 100 exceeds the 1 bytes after it")]
    [InlineData(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0, (byte)'{' }, "header is not valid JSON")]
    public void Malformed_files_are_reported_with_their_name(byte[] bytes, string expected)
    {
        var error = Assert.Throws<UserInputException>(() => Safetensors.Parse(bytes, "bad.safetensors"));
        Assert.StartsWith("bad.safetensors: not a valid safetensors file: ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_tensor_whose_bytes_do_not_match_its_shape_is_reported()
    {
        var header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}"u8.ToArray();
        var bytes = BitConverter.GetBytes((ulong)header.Length).Concat(header).Concat(new byte[12]).ToArray();
        var error = Assert.Throws<UserInputException>(() => Safetensors.Parse(bytes, "w.safetensors"));
        Assert.Contains("tensor \"w\": F32 [2, 2] needs 16 bytes, data_offsets [0, 12] give 12", error.Message);
    }

    [Fact]
    public void Initialisation_follows_the_official_code()
    {
        torch.manual_seed(3);
        using var m = new RecGrelaModel(Items: 500, Dim: 64, Heads: 4, Layers: 2, MaxLength: 10).Build();
        var qk = m.Blocks[0].Attn.Qk;
        Assert.InRange(qk.weight.std().item<float>(), 0.018f, 0.022f);
        Assert.Equal(0f, qk.bias!.abs().sum().item<float>());
        Assert.InRange(m.ItemEmbedding.weight!.std().item<float>(), 0.018f, 0.022f);
        Assert.True(m.Blocks[1].Norm2.weight!.eq(1).all().item<bool>());
        Assert.Equal(0f, m.Blocks[1].Norm2.bias!.abs().sum().item<float>());
        // The padding row is a random vector too (re-initialised after padding_idx zeroed it) ...
        Assert.True(m.ItemEmbedding.weight![0].abs().sum().item<float>() > 0);
        // ... and stays fixed: padding_idx gives it no gradient.
        using var items = torch.tensor(new long[] { 0, 0, 1, 2, 0, 0, 0, 0, 0, 0 }).view(1, 10);
        m.forward(items).sum().backward();
        Assert.Equal(0f, m.ItemEmbedding.weight!.grad!.select(0, 0).abs().sum().item<float>());
        Assert.True(m.ItemEmbedding.weight!.grad!.select(0, 1).abs().sum().item<float>() > 0);
        // The convolution keeps PyTorch's default init: uniform in +-1/sqrt(K) = +-0.5.
        var conv = m.Blocks[0].Attn.Conv1d.weight;
        Assert.InRange(conv.abs().max().item<float>(), 0.3f, 0.5f);
    }

    [Fact]
    public void Invalid_hyperparameters_are_all_reported_at_build_time()
    {
        // Values from outside (a config file, say): constants would already be build errors (GRELA004-007).
        int items = int.Parse("0"), heads = int.Parse("3");
        var dropout = double.Parse("1.5", System.Globalization.CultureInfo.InvariantCulture);
        var error = Assert.ThrowsAny<Exception>(() => new RecGrelaModel(Items: items, Dim: 10, Heads: heads, Dropout: dropout).Build());
        Assert.Contains("Items", error.Message);
        Assert.Contains("Heads", error.Message);
        Assert.Contains("Dropout", error.Message);
    }
}
