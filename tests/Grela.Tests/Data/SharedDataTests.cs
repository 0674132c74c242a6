using Grela.Data;
using Grela.Data.Formats;

namespace Grela.Tests.Data;

/// <summary>Opt-in checks against the real datasets in ../shared/data (never copied into the repository).</summary>
public sealed class SharedDataTests
{
    private static void SkipWithoutData(string? path) =>
        Assert.True(path is not null, "the shared data folder exists but lacks this dataset's file");

    [SharedDataFact]
    public void MovieLens_1M_after_the_5_core_filter_matches_the_paper()
    {
        var path = SharedData.File("ml-1m", "ml-1m.txt");
        SkipWithoutData(path);
        var dataset = DatasetLoader.Load(path!);
        Assert.Equal(6040, dataset.UserCount);
        Assert.Equal(3416, dataset.ItemCount);
        Assert.Equal(999_611, dataset.InteractionCount);
        var split = LeaveOneOutSplit.Create(dataset, 200);
        Assert.Equal(981_491, split.PrefixSampleCount);
        Assert.Equal(6040, split.TestUsers);
    }

    [SharedDataFact]
    public void MovieLens_100K_atomic_file_filters_as_its_provenance_says()
    {
        var path = SharedData.File("ml-100k", "ml-100k.inter");
        SkipWithoutData(path);
        Assert.Equal(InteractionFormat.Atomic, InteractionFileReader.Read(path!).Format);
        var dataset = DatasetLoader.Load(path!);
        Assert.Equal((943, 1349, 99_287L), (dataset.UserCount, dataset.ItemCount, dataset.InteractionCount));
    }

    [SharedDataFact]
    public void Amazon_video_pairs_file_is_detected_and_filtered_to_its_5_core()
    {
        var path = SharedData.File("amazon-video-games", "Video.txt");
        SkipWithoutData(path);
        var raw = InteractionFileReader.Read(path!);
        Assert.Equal(InteractionFormat.Pairs, raw.Format);
        Assert.Equal(287_107, raw.Count);
        var dataset = Preprocessing.Apply(raw, DataOptions.Default);
        Assert.Equal((24_303, 10_672, 231_780L), (dataset.UserCount, dataset.ItemCount, dataset.InteractionCount));
    }
}
