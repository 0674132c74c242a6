namespace Grela.Data;

/// <summary>
/// A preprocessed dataset: one chronological item sequence per user, stored flat (CSR layout).
/// Users have dense ids 0..<see cref="UserCount"/>-1, items 1..<see cref="ItemCount"/> with 0 as
/// padding; <see cref="Users"/> and <see cref="Items"/> give back the original tokens.
/// </summary>
public sealed class SequenceDataset
{
    private readonly int[] _offsets;
    private readonly int[] _items;

    internal SequenceDataset(string name, string source, IdMap users, IdMap items, int[] offsets, int[] flatItems, PreprocessReport report)
    {
        if (offsets.Length != users.Count + 1 || offsets[^1] != flatItems.Length)
            throw new ArgumentException("offsets do not match the users and items");
        Name = name;
        Source = source;
        Users = users;
        Items = items;
        _offsets = offsets;
        _items = flatItems;
        Report = report;
    }

    /// <summary>Short name (file stem, or "synthetic").</summary>
    public string Name { get; }
    /// <summary>Where it came from: a file path or a synthetic specification.</summary>
    public string Source { get; }
    /// <summary>User ids to original tokens (ids from 0).</summary>
    public IdMap Users { get; }
    /// <summary>Item ids to original tokens (ids from 1; 0 is padding).</summary>
    public IdMap Items { get; }
    /// <summary>What preprocessing removed.</summary>
    public PreprocessReport Report { get; }

    /// <summary>Number of users.</summary>
    public int UserCount => Users.Count;
    /// <summary>Number of real items (padding excluded).</summary>
    public int ItemCount => Items.Count;
    /// <summary>Number of item ids a model scores, padding included: <see cref="ItemCount"/> + 1.</summary>
    public int ItemIdCount => Items.Count + 1;
    /// <summary>Number of interactions.</summary>
    public long InteractionCount => _items.Length;

    /// <summary>The chronological items of a user, oldest first.</summary>
    public ReadOnlySpan<int> Sequence(int user) => _items.AsSpan(_offsets[user], _offsets[user + 1] - _offsets[user]);

    /// <summary>Length of a user's sequence.</summary>
    public int Length(int user) => _offsets[user + 1] - _offsets[user];

    /// <summary>All sequences back to back, user by user.</summary>
    internal int[] FlatItems => _items;

    /// <summary>Start of each user's sequence in <see cref="FlatItems"/>; [UserCount + 1].</summary>
    internal int[] Offsets => _offsets;

    /// <summary>
    /// The dataset's identity by content: SHA-256 (hex) of every user's preprocessed sequence (in
    /// user order) and the item tokens by internal id. Two datasets with equal counts but a
    /// permuted vocabulary or different histories have different hashes.
    /// </summary>
    public string ContentHash()
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var number = new byte[8];
        void Add(long value)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(number, value);
            hash.AppendData(number);
        }
        Add(_offsets.Length);
        foreach (var offset in _offsets)
            Add(offset);
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_items.AsSpan()));
        Add(Items.Count);
        foreach (var token in Items.Tokens)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(token);
            Add(bytes.Length);
            hash.AppendData(bytes);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Builds a dataset from in-memory sequences of dense item ids (1-based), e.g. for tests and generators.</summary>
    public static SequenceDataset FromSequences(string name, IReadOnlyList<int[]> sequences, int itemCount,
        IReadOnlyList<string>? userTokens = null, IReadOnlyList<string>? itemTokens = null)
    {
        var offsets = new int[sequences.Count + 1];
        for (var u = 0; u < sequences.Count; u++)
            offsets[u + 1] = offsets[u] + sequences[u].Length;
        var flat = new int[offsets[^1]];
        for (var u = 0; u < sequences.Count; u++)
        {
            foreach (var item in sequences[u])
                if (item < 1 || item > itemCount)
                    throw new ArgumentException($"item id {item} of user {u} is outside [1, {itemCount}]");
            sequences[u].CopyTo(flat, offsets[u]);
        }
        var users = userTokens?.ToArray() ?? Enumerable.Range(1, sequences.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var items = itemTokens?.ToArray() ?? Enumerable.Range(1, itemCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var report = new PreprocessReport(sequences.Count, itemCount, flat.Length, 0, 0, 0, 0);
        return new SequenceDataset(name, name, new IdMap(users, 0), new IdMap(items, 1), offsets, flat, report);
    }
}
