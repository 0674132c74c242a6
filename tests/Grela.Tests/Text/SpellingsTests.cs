using Grela.Text;

namespace Grela.Tests.Text;

public sealed class SpellingsTests
{
    private enum Colour { Red, Green }

    [Fact]
    public void Every_spelling_parses_to_its_value_and_an_unknown_one_names_the_key_and_the_choices()
    {
        var spellings = new Spellings<Colour>("colour", ("green", Colour.Green), ("red", Colour.Red));
        Assert.Equal(["green", "red"], spellings.Names);
        Assert.Equal([Colour.Green, Colour.Red], spellings.Names.Select(spellings.Parse));
        Assert.Equal(["green", "red"], new[] { Colour.Green, Colour.Red }.Select(spellings.Name));
        var error = Assert.Throws<ArgumentException>(() => spellings.Parse("Red"));
        Assert.StartsWith("colour: expected one of green, red, got \"Red\"", error.Message);
    }

    [Fact]
    public void A_value_without_a_spelling_or_spelt_twice_is_refused_when_declared()
    {
        Assert.Throws<ArgumentException>(() => new Spellings<Colour>("colour", ("red", Colour.Red)));
        Assert.Throws<ArgumentException>(() => new Spellings<Colour>("colour", ("red", Colour.Red), ("rouge", Colour.Red)));
        Assert.Throws<ArgumentException>(() => new Spellings<Colour>("colour", ("red", Colour.Red), ("green", Colour.Green), ("vert", Colour.Green)));
        Assert.Throws<ArgumentException>(() => new Spellings<Colour>("colour", ("red", Colour.Red), ("red", Colour.Green)));
    }
}
