using Grela.Errors;
using Grela.Models;
using Grela.Models.Baselines;
using TorchSharp;
using static Grela.Tests.Baselines.OperatorInputs;
using static TorchSharp.torch;

namespace Grela.Tests.Baselines;

public class BaselineModelTests
{
    private const int Items = 20;
    private static readonly BaselineOptions Small = new(ItemCount: Items, MaxLength: 12, Hidden: 16);

    public static TheoryData<string> Names => [.. BaselineModels.Names];

    private static TiedEmbeddingRecommender Build(string name, int seed = 1)
    {
        manual_seed(seed);
        var model = BaselineModels.Create(name, Small);
        model.Module.eval();
        return model;
    }

    private static Tensor Hidden(ISequentialModel model, Tensor items) => ((nn.Module<Tensor, Tensor>)model.Module).forward(items);

    /// <summary>Random right-padded windows [rows, width] of ids in 1..Items-1, with their lengths.</summary>
    private static (Tensor Items, Tensor Lengths) Windows(long seed, long rows, long width, long minLength = 1)
    {
        var g = new Generator((ulong)seed);
        var lengths = randint(minLength, width + 1, [rows], generator: g);
        var ids = randint(1, Items, [rows, width], generator: g);
        return (ids * (arange(width).unsqueeze(0) < lengths.unsqueeze(1)), lengths);
    }

    [Theory, MemberData(nameof(Names))]
    public void Scores_and_losses_have_the_contract_shapes(string name)
    {
        using var scope = NewDisposeScope();
        using var model = Build(name);
        var (items, lengths) = Windows(2, 3, 7);
        Assert.Equal([3, 7, 16], Hidden(model, items).shape);
        Assert.Equal([3, Items], model.FullSortScores(items, lengths).shape);
        var next = randint(1, Items, [3]);
        var perPosition = items.roll(-1, 1) * (arange(7).unsqueeze(0) < (lengths - 1).unsqueeze(1));
        foreach (var loss in new[] { model.Loss(items, lengths, next, TrainingStyle.Prefix), model.Loss(items, lengths, perPosition, TrainingStyle.AllPositions) })
        {
            Assert.Empty(loss.shape);
            Assert.True(double.IsFinite(loss.item<float>()) && loss.item<float>() > 0);
        }
        Assert.Equal([TrainingStyle.AllPositions, TrainingStyle.Prefix], model.TrainingStyles);
        Assert.Equal(PaddingSide.Right, model.Padding);
    }

    [Theory, MemberData(nameof(Names))]
    public void Changing_later_items_leaves_earlier_states_unchanged(string name)
    {
        using var scope = NewDisposeScope();
        using var model = Build(name);
        var (items, _) = Windows(3, 2, 9, minLength: 9);
        var changed = items.clone();
        changed[.., 6..] = (items[.., 6..] % (Items - 1)) + 1;
        var (before, after) = (Hidden(model, items), Hidden(model, changed));
        Assert.Equal(0.0, MaxDiff(before[.., ..6], after[.., ..6]));
        Assert.True(MaxDiff(before[.., 6..], after[.., 6..]) > 1e-4);
    }

    [Theory, MemberData(nameof(Names))]
    public void Extra_right_padding_does_not_change_the_scores(string name)
    {
        using var scope = NewDisposeScope();
        using var model = Build(name);
        var (items, lengths) = Windows(4, 3, 6);
        var wider = nn.functional.pad(items, [0, 5]);
        Assert.True(MaxDiff(model.FullSortScores(items, lengths), model.FullSortScores(wider, lengths)) < 1e-5);
    }

    [Theory, MemberData(nameof(Names))]
    public void All_positions_loss_is_the_mean_of_the_prefix_losses(string name)
    {
        using var scope = NewDisposeScope();
        using var model = Build(name);
        var (items, lengths) = Windows(5, 3, 8, minLength: 2);
        var targets = items.roll(-1, 1) * (arange(8).unsqueeze(0) < (lengths - 1).unsqueeze(1));
        var all = model.Loss(items, lengths, targets, TrainingStyle.AllPositions).item<float>();

        // Every (row, t) with a target as its own prefix sample: the window cut after t.
        var prefixes = new List<Tensor>();
        var prefixLengths = new List<long>();
        var next = new List<long>();
        for (var row = 0; row < 3; row++)
            for (var t = 0; t < lengths[row].item<long>() - 1; t++)
            {
                prefixes.Add(items[row] * (arange(8) <= t));
                prefixLengths.Add(t + 1);
                next.Add(items[row, t + 1].item<long>());
            }
        var prefix = model.Loss(stack(prefixes), tensor(prefixLengths.ToArray()), tensor(next.ToArray()), TrainingStyle.Prefix).item<float>();
        Assert.Equal(prefix, all, 5);
    }

    [Theory, MemberData(nameof(Names))]
    public void After_moving_to_float64_every_trainable_parameter_gets_a_gradient(string name)
    {
        // Module.to replaces registered tensors: a model that kept using a stale field would fail
        // here or leave the replaced parameter without a gradient.
        using var scope = NewDisposeScope();
        using var model = Build(name);
        model.Module.to(ScalarType.Float64);
        model.Module.train();
        var (items, lengths) = Windows(7, 3, 6, minLength: 2);
        var targets = items.roll(-1, 1) * (arange(6).unsqueeze(0) < (lengths - 1).unsqueeze(1));
        var loss = model.Loss(items, lengths, targets, TrainingStyle.AllPositions);
        Assert.Equal(ScalarType.Float64, loss.dtype);
        loss.backward();
        var missing = model.Module.named_parameters().Where(p => p.parameter.requires_grad && p.parameter.grad is null).Select(p => p.name);
        Assert.Empty(missing);
    }

    [Fact]
    public void Unknown_names_and_bad_options_are_user_errors()
    {
        var unknown = Assert.Throws<UserInputException>(() => BaselineModels.Create("bert4rec", Small));
        Assert.Equal("unknown model 'bert4rec': expected one of sasrec, gru4rec, linrec, mamba4rec", unknown.Message);
        var bad = Assert.Throws<UserInputException>(() => BaselineModels.Create("linrec", Small with { Hidden = 20, Dropout = 1.5 }));
        Assert.Contains("Heads", bad.Message);
        Assert.Contains("Dropout", bad.Message);
    }

    [Theory]
    [InlineData("gru4rec", "item_embedding.weight", "gru_layers.weight_ih_l0", "gru_layers.weight_hh_l0", "dense.weight")]
    [InlineData("sasrec", "position_embedding.weight", "trm_encoder.layer.1.multi_head_attention.query.weight",
        "trm_encoder.layer.0.multi_head_attention.LayerNorm.bias", "trm_encoder.layer.1.feed_forward.dense_2.weight")]
    [InlineData("linrec", "LayerNorm.weight", "trm_encoder.layer.1.multi_head_attention.dense.bias", "trm_encoder.layer.1.feed_forward.LayerNorm.weight")]
    [InlineData("mamba4rec", "mamba_layers.0.mamba.in_proj.weight", "mamba_layers.0.mamba.conv1d.weight", "mamba_layers.0.mamba.x_proj.weight",
        "mamba_layers.0.mamba.dt_proj.bias", "mamba_layers.0.mamba.A_log", "mamba_layers.0.mamba.D", "mamba_layers.0.mamba.out_proj.weight",
        "mamba_layers.0.LayerNorm.weight", "mamba_layers.0.ffn.w_1.weight", "mamba_layers.0.ffn.LayerNorm.bias")]
    public void State_dict_keys_follow_the_official_code(string name, params string[] keys)
    {
        using var model = Build(name);
        var actual = model.Module.state_dict().Keys.ToHashSet();
        Assert.All(keys, key => Assert.Contains(key, actual));
    }

    [Fact]
    public void Mamba4rec_has_the_official_parameter_count()
    {
        // Defaults on 3,417 ids: embedding 3417*64 + LayerNorm 128 + one layer. The Mamba block
        // (Di = 128, N = 32, R = 4): in_proj 64*256, conv 128*4+128, x_proj 128*(4+64),
        // dt_proj 4*128+128, A_log 128*32, D 128, out_proj 128*64 = 38,784; layer LayerNorm 128;
        // FFN 64*256+256 + 256*64+64 + LayerNorm 128 = 33,216.
        using var model = BaselineModels.Create("mamba4rec", new BaselineOptions(3417));
        var count = model.Module.parameters().Sum(p => p.numel());
        Assert.Equal(3417 * 64 + 128 + 38_784 + 128 + 33_216, count);
    }

    [Fact]
    public void Initialisation_follows_the_official_code()
    {
        using var scope = NewDisposeScope();
        var options = new BaselineOptions(ItemCount: 500);
        using var sasrec = BaselineModels.Create("sasrec", options);
        var sasrecWeights = sasrec.Module.state_dict();
        Assert.InRange(sasrecWeights["trm_encoder.layer.0.multi_head_attention.query.weight"].std().item<float>(), 0.018f, 0.022f);
        Assert.InRange(sasrecWeights["item_embedding.weight"].std().item<float>(), 0.018f, 0.022f);
        Assert.Equal(0f, sasrecWeights["trm_encoder.layer.1.feed_forward.dense_1.bias"].abs().sum().item<float>());

        using var gru = BaselineModels.Create("gru4rec", options);
        var gruParameters = gru.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal(0f, gruParameters["gru_layers.bias_ih_l0"].abs().sum().item<float>());
        Assert.False(gruParameters["gru_layers.bias_hh_l0"].requires_grad);
        Assert.True(gruParameters["gru_layers.weight_hh_l0"].requires_grad);

        using var mamba = BaselineModels.Create("mamba4rec", options);
        var mambaWeights = mamba.Module.state_dict();
        Assert.Equal(0f, mambaWeights["mamba_layers.0.mamba.dt_proj.bias"].abs().sum().item<float>());
        var expectedALog = arange(1, 33, dtype: ScalarType.Float32).log().expand(128, 32);
        Assert.Equal(0.0, MaxDiff(mambaWeights["mamba_layers.0.mamba.A_log"], expectedALog));
        Assert.Equal(0.0, MaxDiff(mambaWeights["mamba_layers.0.mamba.D"], ones(128)));
    }

    [Fact]
    public void Targets_of_the_wrong_shape_are_refused()
    {
        using var scope = NewDisposeScope();
        using var model = Build("sasrec");
        var (items, lengths) = Windows(6, 2, 5);
        var error = Assert.Throws<ArgumentException>(() => model.Loss(items, lengths, items[.., 0], TrainingStyle.AllPositions));
        Assert.StartsWith("AllPositions training expects targets [2, 5] for items [2, 5], got [2]", error.Message);
    }

    [Fact]
    public void Specs_are_values()
    {
        Assert.Equal(BaselineModels.Spec("sasrec", Small), BaselineModels.Spec("sasrec", Small));
        var sasrec = Assert.IsType<TransformerRecommender>(BaselineModels.Spec("sasrec", Small));
        var linrec = Assert.IsType<TransformerRecommender>(BaselineModels.Spec("linrec", Small with { Heads = 2, Layers = 2 }));
        Assert.Equal(sasrec with { Kind = AttentionKind.LinRec }, linrec);
    }

    [Theory, MemberData(nameof(Names))]
    public void Spelling_out_the_defaults_changes_nothing(string name)
    {
        var d = BaselineModels.Defaults(name);
        var implicitDefaults = new BaselineOptions(ItemCount: 500);
        Assert.Equal(BaselineModels.Spec(name, implicitDefaults),
            BaselineModels.Spec(name, implicitDefaults with { Hidden = d.Hidden, Layers = d.Layers, Heads = d.Heads }));
    }
}
