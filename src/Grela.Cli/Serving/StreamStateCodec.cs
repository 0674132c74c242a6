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
/// </summary>
internal static class StreamStateCodec
{
    private static readonly byte[] Magic = "GSS1"u8.ToArray();

    public static byte[] Encode(RecGrelaStreamState state)
    {
        using var scope = torch.NewDisposeScope();
        var floats = Tensors(state).Select(t => t.to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray()).ToList();
        var bytes = new byte[Magic.Length + 8 + floats.Sum(f => f.Length) * 4];
        Magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(Magic.Length), state.Positions.cpu().data<long>()[0]);
        var offset = Magic.Length + 8;
        foreach (var f in floats)
        {
            foreach (var x in f)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(offset), x);
                offset += 4;
            }
        }
        return bytes;
    }

    /// <summary>The state stored in <paramref name="bytes"/>, shaped like <paramref name="template"/> (one user); null when it does not fit.</summary>
    public static RecGrelaStreamState? Decode(byte[] bytes, RecGrelaStreamState template)
    {
        var parts = Tensors(template).ToList();
        var expected = Magic.Length + 8 + parts.Sum(t => t.numel()) * 4;
        if (bytes.Length != expected || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            return null;
        var position = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(Magic.Length));
        var offset = Magic.Length + 8;
        Tensor Next(Tensor like)
        {
            var values = new float[like.numel()];
            for (var i = 0; i < values.Length; i++, offset += 4)
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(offset));
            return torch.tensor(values, like.shape, like.dtype, like.device);
        }
        var hidden = Next(template.Hidden);
        var blocks = template.Blocks.Select(b => new BlockStreamState(Next(b.S), Next(b.Z), Next(b.ConvTail))).ToList();
        return new RecGrelaStreamState(torch.tensor(new[] { position }, [1], ScalarType.Int64, template.Positions.device), blocks, hidden);
    }

    /// <summary>The float tensors of a state in stored order.</summary>
    private static IEnumerable<Tensor> Tensors(RecGrelaStreamState state)
    {
        yield return state.Hidden;
        foreach (var b in state.Blocks)
        {
            yield return b.S;
            yield return b.Z;
            yield return b.ConvTail;
        }
    }
}
