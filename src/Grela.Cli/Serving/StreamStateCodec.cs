using System.Buffers.Binary;
using Grela.Models.RecGrela;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.Cli.Serving;

/// <summary>
/// One user's RecGRELA streaming state as bytes: the magic "GSS1", then every tensor of the state
/// (position, hidden state, and per block S, z and the conv tail) as little-endian float32 (the
/// position as int64), in that order. Shapes are not stored: they follow from the model, and a
/// blob whose length does not match the model's state is refused (the history is replayed instead).
/// A torch state and a managed one (<see cref="ManagedStreamState"/>) of the same values are the same bytes.
/// </summary>
internal static class StreamStateCodec
{
    private static readonly byte[] Magic = "GSS1"u8.ToArray();

    public static byte[] Encode(RecGrelaStreamState state)
    {
        using var scope = torch.NewDisposeScope();
        var floats = state.Parts().Select(t => t.to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray()).ToList();
        return Encode(state.Positions.cpu().data<long>()[0], floats);
    }

    public static byte[] Encode(ManagedStreamState state) => Encode(state.Position, state.Parts().ToList());

    /// <summary>The state stored in <paramref name="bytes"/>, shaped like <paramref name="template"/> (one user); null when it does not fit.</summary>
    public static RecGrelaStreamState? Decode(byte[] bytes, RecGrelaStreamState template)
    {
        var like = template.Parts().ToList();
        if (Decode(bytes, [.. like.Select(t => (int)t.numel())]) is not (var position, var parts))
            return null;
        var tensors = new Queue<Tensor>(like.Zip(parts, (t, values) => torch.tensor(values, t.shape, t.dtype, t.device)));
        var hidden = tensors.Dequeue();
        var blocks = template.Blocks.Select(_ => new BlockStreamState(tensors.Dequeue(), tensors.Dequeue(), tensors.Dequeue())).ToList();
        return new RecGrelaStreamState(torch.tensor(new[] { position }, [1], ScalarType.Int64, template.Positions.device), blocks, hidden);
    }

    /// <summary>The managed state stored in <paramref name="bytes"/>, sized like <paramref name="template"/>; null when it does not fit.</summary>
    public static ManagedStreamState? Decode(byte[] bytes, ManagedStreamState template) =>
        Decode(bytes, [.. template.Parts().Select(p => p.Length)]) is (var position, var parts) ? ManagedStreamState.FromParts(position, parts) : null;

    private static byte[] Encode(long position, IReadOnlyList<float[]> parts)
    {
        var bytes = new byte[Magic.Length + 8 + parts.Sum(f => f.Length) * 4];
        Magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(Magic.Length), position);
        var offset = Magic.Length + 8;
        foreach (var f in parts)
        {
            foreach (var x in f)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(offset), x);
                offset += 4;
            }
        }
        return bytes;
    }

    /// <summary>The position and float arrays of the given sizes in <paramref name="bytes"/>; null when the length or magic does not fit.</summary>
    private static (long Position, float[][] Parts)? Decode(byte[] bytes, IReadOnlyList<int> sizes)
    {
        var expected = Magic.Length + 8 + sizes.Sum(s => (long)s) * 4;
        if (bytes.Length != expected || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            return null;
        var position = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(Magic.Length));
        var offset = Magic.Length + 8;
        var parts = new float[sizes.Count][];
        for (var p = 0; p < parts.Length; p++)
        {
            parts[p] = new float[sizes[p]];
            for (var i = 0; i < sizes[p]; i++, offset += 4)
                parts[p][i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(offset));
        }
        return (position, parts);
    }
}
