using Grela.Layers;

namespace Grela.Tests.Layers;

public class ValidationTests
{
    // Constant bad arguments are compile errors (GRELA004..007, 030, 032); values read at run time
    // (from a config file, say) are what Validate and Build are for.
    private static T Runtime<T>(T value) => value;

    [Fact]
    public void ValidLayerValidatesToItself()
    {
        var mlp = new SampleMlp(8, 0.1);
        Assert.Equal(mlp, mlp.Validate().Match(Succ: v => v, Fail: e => throw new InvalidOperationException(string.Join("; ", e))));
    }

    [Fact]
    public void EveryViolationIsListed()
    {
        var errors = new SampleMlp(Runtime(0), Runtime(1.5)).Validate().Match(Succ: _ => [], Fail: e => e.ToList());
        Assert.Equal(["Dim must be positive, got 0", "Dropout must be a rate in [0, 1), got 1.5"], errors);
    }

    [Fact]
    public void DividesIsChecked()
    {
        var errors = new SampleBlock(6, Runtime(4)).Validate().Match(Succ: _ => [], Fail: e => e.ToList());
        Assert.Equal(["Heads must divide Dim (6), got 4"], errors);
    }

    [Fact]
    public void QuotientMultipleIsChecked()
    {
        // RecGRELA's heads must leave an even width each (rotary encoding turns channel pairs).
        var model = new Grela.Models.RecGrela.RecGrelaModel(Items: 10, Dim: Runtime(60), Heads: Runtime(4));
        var errors = model.Validate().Match(Succ: _ => [], Fail: e => e.ToList());
        Assert.Equal(["Dim / Heads must be a multiple of 2, got 60 / 4 = 15"], errors);
        Assert.True((model with { Dim = 64 }).Validate().IsSuccess);
    }

    [Fact]
    public void RotaryEncodingNeedsAnEvenWidth()
    {
        // Rotary encoding turns channel pairs: an odd Dim is refused before any table is built, not
        // deep inside Ops.Rope. (A constant odd Dim is a build error, GRELA032.)
        var dim = Runtime(15);
        var rope = new Grela.Models.RecGrela.RotaryEncoding(MaxLength: 8, Dim: dim);
        var errors = rope.Validate().Match(Succ: _ => [], Fail: e => e.ToList());
        Assert.Equal(["Dim must be a multiple of 2, got 15"], errors);
        var e = Assert.Throws<InvalidLayerException>(() => rope.Build());
        Assert.Equal("invalid RotaryEncoding hyperparameters:\n  - Dim must be a multiple of 2, got 15", e.Message);
        Assert.True((rope with { Dim = 16 }).Validate().IsSuccess);
    }

    [Fact]
    public void SublayerViolationsCarryTheirPath()
    {
        // SampleStack's blocks are built with Heads = 2, which does not divide Dim = 3.
        var errors = new SampleStack(10, 3, 2).Validate().Match(Succ: _ => [], Fail: e => e.ToList());
        Assert.Equal(["blocks[0]: Heads must divide Dim (3), got 2", "blocks[1]: Heads must divide Dim (3), got 2"], errors);
    }

    [Fact]
    public void BuildThrowsOneExceptionListingAll()
    {
        var e = Assert.Throws<InvalidLayerException>(() => new SampleMlp(Runtime(-1), Runtime(-0.5)).Build());
        Assert.Equal("invalid SampleMlp hyperparameters:\n  - Dim must be positive, got -1\n  - Dropout must be a rate in [0, 1), got -0.5", e.Message);
        Assert.IsAssignableFrom<Grela.Errors.UserInputException>(e);
    }

    [Fact]
    public void LeavesValidateToo()
    {
        Assert.Throws<InvalidLayerException>(() => new Linear(Runtime(0), 3).Build());
        Assert.True(new Embedding(5, 2, 0).Validate().IsSuccess);
    }
}
