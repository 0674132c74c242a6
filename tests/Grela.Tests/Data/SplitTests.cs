using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Grela.Data;

namespace Grela.Tests.Data;

public sealed class SplitTests
{
    [Property(MaxTest = 100)]
    public Property Training_never_holds_a_later_interaction_than_validation_or_test(int[][] raw)
    {
        var split = LeaveOneOutSplit.Create(RandomData.Dataset(raw), maxLength: 3);
        var ok = true;
        for (var u = 0; u < split.Dataset.UserCount; u++)
        {
            var lastTrain = split.TrainLength(u) - 1;
            int? valid = split.HasTarget(u, EvaluationStage.Validation) ? split.TargetPosition(u, EvaluationStage.Validation) : null;
            int? test = split.HasTarget(u, EvaluationStage.Test) ? split.TargetPosition(u, EvaluationStage.Test) : null;
            ok &= valid is null || lastTrain < valid;
            ok &= test is null || lastTrain < test;
            ok &= valid is null || (test is not null && valid < test);
            ok &= !split.HasTarget(u, EvaluationStage.Test) || test == split.Dataset.Length(u) - 1;
            // Training, validation and test together are the whole sequence, nothing twice.
            var used = split.TrainLength(u) + (split.HasTarget(u, EvaluationStage.Validation) ? 1 : 0) + (split.HasTarget(u, EvaluationStage.Test) ? 1 : 0);
            ok &= used == split.Dataset.Length(u);
        }
        return ok.ToProperty();
    }

    [Fact]
    public void Short_users_are_handled_as_RecBole_does_and_counted()
    {
        var d = SequenceDataset.FromSequences("s", [[1], [1, 2], [1, 2, 3], [1, 2, 3, 4], [1, 2, 3, 4, 5]], 5);
        var split = LeaveOneOutSplit.Create(d, maxLength: 2);
        Assert.Equal([1, 2, 2, 2, 3], Enumerable.Range(0, 5).Select(split.TrainLength));
        Assert.Equal(2, split.ValidationUsers);
        Assert.Equal(3, split.TestUsers);
        Assert.Equal(2, split.TrainOnlyUsers);
        Assert.Equal(2, split.TruncatedUsers);           // test histories of 3 and 4 items > 2
        Assert.Equal(0 + 1 + 1 + 1 + 2, split.PrefixSampleCount);
        Assert.False(split.HasTarget(2, EvaluationStage.Validation));
        Assert.Equal(2, split.TargetPosition(2, EvaluationStage.Test));
    }
}
