using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grela.Runs;

namespace Grela.Cli.Parallel;

/// <summary>
/// The first frame a gradient worker reads: the run's resolved configuration (the worker builds the
/// same model from it), the item count, its CPU threads and whether it keeps freed heap memory as
/// the trainer does (<see cref="Host.NativeAllocator"/>). Length-prefixed JSON, bounded.
/// </summary>
internal sealed record WorkerHandshake(TrainingConfig Config, int ItemCount, int Threads, bool KeepFreedMemory)
{
    private const int MaxBytes = 1 << 20;

    public void Write(Stream stream)
    {
        var json = new JsonObject
        {
            ["config"] = ConfigJson.ToJson(Config),
            ["items"] = ItemCount,
            ["threads"] = Threads,
            ["keep_freed_memory"] = KeepFreedMemory,
        };
        var bytes = Encoding.UTF8.GetBytes(json.ToJsonString());
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        stream.Write(length);
        stream.Write(bytes);
        stream.Flush();
    }

    public static WorkerHandshake Read(Stream stream)
    {
        Span<byte> length = stackalloc byte[4];
        stream.ReadExactly(length);
        var size = BinaryPrimitives.ReadInt32LittleEndian(length);
        if (size <= 0 || size > MaxBytes)
            throw new InvalidDataException($"worker handshake: {size} bytes announced (expected 1 to {MaxBytes})");
        var bytes = new byte[size];
        stream.ReadExactly(bytes);
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        var config = ConfigJson.FromJson("worker handshake", root.GetProperty("config"));
        var items = root.GetProperty("items").GetInt32();
        var threads = root.GetProperty("threads").GetInt32();
        if (items <= 0 || threads <= 0)
            throw new InvalidDataException($"worker handshake: items {items}, threads {threads} (both must be positive)");
        return new WorkerHandshake(config, items, threads, root.GetProperty("keep_freed_memory").GetBoolean());
    }
}
