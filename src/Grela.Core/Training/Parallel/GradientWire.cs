using System.Runtime.InteropServices;
using System.Text;
using Grela.Models;

namespace Grela.Training.Parallel;

/// <summary>
/// A gradient worker's share of a step: the rows it computes, the current parameters (float32, in
/// the model's parameter order), the seed of its random stream, and how the share is weighted.
/// </summary>
public sealed record GradientRequest(ulong Seed, TrainingStyle Style, int MicroRows, double Total,
    long[] ItemsShape, long[] Items, long[] Lengths, long[] TargetsShape, long[] Targets, float[] Parameters);

/// <summary>What the worker sends back.</summary>
public enum GradientStatus : byte { Ok = 0, NativeError = 1, Error = 2 }

/// <summary>The worker's weighted loss and gradient (float32, parameter order), or why it has none.</summary>
public sealed record GradientReply(GradientStatus Status, double Value, float[] Gradient, string Message);

/// <summary>
/// The frames between a trainer and its gradient worker, in the machine's byte order (both ends run
/// on one machine): length-checked, every size bounded before anything is allocated, since the
/// stream is another process.
/// </summary>
public static class GradientWire
{
    private const uint RequestMagic = 0x31514447;  // "GDQ1"
    private const uint ReplyMagic = 0x31504447;    // "GDP1"
    private const int MaxRank = 4;
    /// <summary>The largest array a frame may announce (elements): far above any batch or model here.</summary>
    public const long MaxElements = 1L << 28;
    private const int MaxMessageBytes = 1 << 16;

    public static void Write(Stream stream, GradientRequest r)
    {
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(RequestMagic);
        w.Write(r.Seed);
        w.Write((byte)r.Style);
        w.Write(r.MicroRows);
        w.Write(r.Total);
        WriteShape(w, r.ItemsShape);
        WriteLongs(w, r.Items);
        WriteLongs(w, r.Lengths);
        WriteShape(w, r.TargetsShape);
        WriteLongs(w, r.Targets);
        WriteFloats(w, r.Parameters);
        w.Flush();
    }

    /// <summary>The next request, or null at a clean end of stream (the trainer is done).</summary>
    public static GradientRequest? ReadRequest(Stream stream)
    {
        using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        uint magic;
        try { magic = r.ReadUInt32(); }
        catch (EndOfStreamException) { return null; }
        if (magic != RequestMagic) throw new InvalidDataException($"gradient request: bad frame header 0x{magic:x8}");
        var seed = r.ReadUInt64();
        var style = (TrainingStyle)r.ReadByte();
        if (!Enum.IsDefined(style)) throw new InvalidDataException($"gradient request: unknown training style {(int)style}");
        var micro = r.ReadInt32();
        var total = r.ReadDouble();
        if (!(total > 0) || double.IsInfinity(total)) throw new InvalidDataException($"gradient request: target total {total} is not positive");
        var itemsShape = ReadShape(r);
        var items = ReadLongs(r);
        var lengths = ReadLongs(r);
        var targetsShape = ReadShape(r);
        var targets = ReadLongs(r);
        var parameters = ReadFloats(r);
        if (Product(itemsShape) != items.Length || Product(targetsShape) != targets.Length || itemsShape.Length != 2
            || lengths.Length != itemsShape[0] || targetsShape.Length == 0 || targetsShape[0] != itemsShape[0])
            throw new InvalidDataException("gradient request: array sizes do not match their shapes");
        return new GradientRequest(seed, style, micro, total, itemsShape, items, lengths, targetsShape, targets, parameters);
    }

    public static void Write(Stream stream, GradientReply reply)
    {
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(ReplyMagic);
        w.Write((byte)reply.Status);
        w.Write(reply.Value);
        WriteFloats(w, reply.Gradient);
        var message = Encoding.UTF8.GetBytes(reply.Message);
        w.Write(Math.Min(message.Length, MaxMessageBytes));
        w.Write(message, 0, Math.Min(message.Length, MaxMessageBytes));
        w.Flush();
    }

    public static GradientReply ReadReply(Stream stream)
    {
        using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        var magic = r.ReadUInt32();
        if (magic != ReplyMagic) throw new InvalidDataException($"gradient reply: bad frame header 0x{magic:x8}");
        var status = (GradientStatus)r.ReadByte();
        if (!Enum.IsDefined(status)) throw new InvalidDataException($"gradient reply: unknown status {(int)status}");
        var value = r.ReadDouble();
        var gradient = ReadFloats(r);
        var length = r.ReadInt32();
        if (length < 0 || length > MaxMessageBytes) throw new InvalidDataException($"gradient reply: message of {length} bytes");
        var message = Encoding.UTF8.GetString(ReadExactly(r, length));
        return new GradientReply(status, value, gradient, message);
    }

    private static long Product(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);

    private static void WriteShape(BinaryWriter w, long[] shape)
    {
        w.Write(shape.Length);
        foreach (var d in shape) w.Write(d);
    }

    private static long[] ReadShape(BinaryReader r)
    {
        var rank = r.ReadInt32();
        if (rank < 0 || rank > MaxRank) throw new InvalidDataException($"gradient frame: rank {rank}");
        var shape = new long[rank];
        for (var i = 0; i < rank; i++)
        {
            shape[i] = r.ReadInt64();
            if (shape[i] < 0 || shape[i] > MaxElements) throw new InvalidDataException($"gradient frame: dimension {shape[i]}");
        }
        return shape;
    }

    private static void WriteLongs(BinaryWriter w, long[] values)
    {
        w.Write((long)values.Length);
        w.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static void WriteFloats(BinaryWriter w, float[] values)
    {
        w.Write((long)values.Length);
        w.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static long[] ReadLongs(BinaryReader r)
    {
        var count = Count(r);
        var values = new long[count];
        r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    private static float[] ReadFloats(BinaryReader r)
    {
        var count = Count(r);
        var values = new float[count];
        r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    private static int Count(BinaryReader r)
    {
        var count = r.ReadInt64();
        if (count < 0 || count > MaxElements) throw new InvalidDataException($"gradient frame: array of {count} elements");
        return (int)count;
    }

    private static byte[] ReadExactly(BinaryReader r, int length)
    {
        var bytes = new byte[length];
        r.BaseStream.ReadExactly(bytes);
        return bytes;
    }
}
