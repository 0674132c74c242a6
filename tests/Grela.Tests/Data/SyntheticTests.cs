using Grela.Data;
using Grela.Data.Synthetic;
using Grela.Errors;
using Grela.Evaluation;
using Grela.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Tests.Data;

public sealed class SyntheticTests
{
    [Fact]
    public void Same_spec_same_dataset_and_the_seed_changes_it()
    {
        var spec = new SyntheticSpec(Users: 50, Items: 80, Groups: 4);
        var a = SyntheticGenerator.Generate(spec);
        var b = SyntheticGenerator.Generate(spec);
        var c = SyntheticGenerator.Generate(spec with { Seed = 8 });
        Assert.Equal(a.FlatItems, b.FlatItems);
        Assert.NotEqual(a.FlatItems, c.FlatItems);
        Assert.All(Enumerable.Range(0, 50), u => Assert.InRange(a.Length(u), spec.MinLength, spec.MaxLength));
    }

    [Fact]
    public void Names_parse_with_defaults_and_bad_names_are_user_errors()
    {
        Assert.Equal(new SyntheticSpec(), SyntheticSpec.Parse("synthetic"));
        var spec = SyntheticSpec.Parse("synthetic:users=10,items=40,seed=3,max-len=30");
        Assert.Equal(new SyntheticSpec(Users: 10, Items: 40, MaxLength: 30, Seed: 3), spec);
        Assert.Equal(spec, SyntheticSpec.Parse(spec.ToString()));
        Assert.Equal("synthetic:colour=3: unknown key 'colour'; expected users, items, groups, min-len, max-len or seed",
            Assert.Throws<UserInputException>(() => SyntheticSpec.Parse("synthetic:colour=3")).Message);
        Assert.Equal("synthetic:items=10: items must be at least 2 per group (40), got 10",
            Assert.Throws<UserInputException>(() => SyntheticSpec.Parse("synthetic:items=10")).Message);
        var loaded = DatasetLoader.Load("synthetic:users=30,items=60,groups=3");
        Assert.Equal(30, loaded.UserCount);
        Assert.Equal("synthetic:users=30,items=60,groups=3,min-len=20,max-len=100,seed=7", loaded.Name);
    }

    /// <summary>
    /// A first-order Markov chain (next-item counts from training sequences) is the simplest model
    /// that learns sequences; the planted transitions must let it beat popularity by a wide margin.
    /// </summary>
    [Fact]
    public void The_default_dataset_lets_a_sequence_model_beat_popularity_by_a_wide_margin()
    {
        var split = LeaveOneOutSplit.Create(DatasetLoader.Load(DatasetLoader.DefaultSource), maxLength: 50);
        var n = split.Dataset.ItemIdCount;
        var transitions = new float[n * n];
        var pop = PopularityBaseline.FromTraining(split);
        for (var u = 0; u < split.Dataset.UserCount; u++)
        {
            var train = split.TrainItems(u);
            for (var t = 1; t < train.Length; t++) transitions[train[t - 1] * n + train[t]]++;
        }
        var total = pop.Counts.Sum() + 1.0f;
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++) transitions[i * n + j] += pop.Counts[j] / total; // popularity breaks ties
        using var table = torch.tensor(transitions, [n, n]);
        Tensor Markov(Tensor items, Tensor lengths) => table.index_select(0, items.gather(1, (lengths - 1).unsqueeze(1)).squeeze(1));

        var options = new EvaluationOptions([10]);
        var markov = RankingMetrics.Summarize(FullRankingEvaluator.Ranks(Markov, PaddingSide.Right, split, EvaluationStage.Test, options), options.Ks);
        var popularity = pop.Evaluate(split, EvaluationStage.Test, options);
        Assert.True(markov["NDCG@10"] > 3 * popularity["NDCG@10"] && markov["HR@10"] > 0.4,
            $"Markov NDCG@10 {markov["NDCG@10"]:F3} HR@10 {markov["HR@10"]:F3}; popularity NDCG@10 {popularity["NDCG@10"]:F3} HR@10 {popularity["HR@10"]:F3}");
    }
}
