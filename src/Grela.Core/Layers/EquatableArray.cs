using System.Collections;
using System.Collections.Immutable;

namespace Grela.Layers;

/// <summary>
/// An immutable array with value equality, so that records holding it keep structural equality
/// (a plain array or <see cref="ImmutableArray{T}"/> compares by reference).
/// </summary>
public readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
{
    private readonly ImmutableArray<T> items;

    /// <summary>Wraps <paramref name="items"/>.</summary>
    public EquatableArray(ImmutableArray<T> items) => this.items = items;

    /// <summary>Copies <paramref name="items"/>.</summary>
    public EquatableArray(IEnumerable<T> items) => this.items = [.. items];

    /// <summary>The items (empty for a default value).</summary>
    public ImmutableArray<T> Items => items.IsDefault ? [] : items;

    /// <inheritdoc/>
    public int Count => Items.Length;

    /// <inheritdoc/>
    public T this[int index] => Items[index];

    /// <inheritdoc/>
    public bool Equals(EquatableArray<T> other) => Items.AsSpan().SequenceEqual(other.Items.AsSpan(), EqualityComparer<T>.Default);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in Items) hash.Add(item);
        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString() => "[" + string.Join(", ", Items) + "]";

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Value equality.</summary>
    public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);

    /// <summary>Wraps an array (copied).</summary>
    public static implicit operator EquatableArray<T>(T[] items) => new(items);
}

/// <summary>Constructors of <see cref="EquatableArray{T}"/>.</summary>
public static class EquatableArray
{
    /// <summary>An equatable array of <paramref name="items"/>.</summary>
    public static EquatableArray<T> Of<T>(params T[] items) => new(items);
}
