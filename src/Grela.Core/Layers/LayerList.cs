using System.Collections;
using LanguageExt;

namespace Grela.Layers;

/// <summary>
/// An ordered, equatable list of sublayers, declared as <c>[Sub("blocks")] LayerList&lt;Block&gt;</c>.
/// The generated module holds a <c>TorchSharp.Modules.ModuleList</c> whose items are registered as
/// <c>blocks.0</c>, <c>blocks.1</c>, ... (PyTorch's <c>nn.ModuleList</c> keys).
/// </summary>
public sealed record LayerList<T>(EquatableArray<T> Items) : IReadOnlyList<T> where T : ILayer
{
    /// <inheritdoc/>
    public int Count => Items.Count;

    /// <inheritdoc/>
    public T this[int index] => Items[index];

    /// <summary>Violations of every item, each under the path <c>name[i]</c>.</summary>
    public Seq<string> Violations(string parent, string name)
    {
        var all = Seq<string>.Empty;
        for (var i = 0; i < Items.Count; i++) all = all + Items[i].Violations(LayerPath.Item(parent, name, i));
        return all;
    }

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator() => Items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Constructors of <see cref="LayerList{T}"/>.</summary>
public static class LayerList
{
    /// <summary><paramref name="count"/> layers, item <c>i</c> made by <paramref name="make"/>(i).</summary>
    public static LayerList<T> Repeat<T>(int count, Func<int, T> make) where T : ILayer =>
        new(new EquatableArray<T>(Enumerable.Range(0, Math.Max(count, 0)).Select(make)));

    /// <summary>A list of the given layers, in order.</summary>
    public static LayerList<T> Of<T>(params T[] items) where T : ILayer => new(new EquatableArray<T>(items));
}
