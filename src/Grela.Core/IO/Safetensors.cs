using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Grela.Errors;
using TorchSharp;
using static TorchSharp.torch;

namespace Grela.IO;

/// <summary>
/// A state dict with its string metadata, as stored in a safetensors file. Owns its tensors.
/// </summary>
public sealed record SafetensorsContent(IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata) : IDisposable
{
    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var t in Tensors.Values) t.Dispose();
    }
}

/// <summary>
/// Reader and writer of the safetensors format: an 8-byte little-endian header length, a JSON
/// header mapping each name to {dtype, shape, data_offsets} (plus an optional "__metadata__"
/// object of strings), then the raw little-endian tensor bytes.
/// </summary>
public static class Safetensors
{
    const string MetadataKey = "__metadata__";

    /// <summary>Reads a file; a malformed file is a <see cref="UserInputException"/> naming the file and the fault.</summary>
    public static SafetensorsContent Read(string path)
    {
        return Parse(InputFile.ReadAllBytes(path, "a safetensors file"), path);
    }

    /// <summary>Parses the bytes of a safetensors file; <paramref name="source"/> names it in errors.</summary>
    public static SafetensorsContent Parse(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length < 8)
            throw Bad(source, $"expected at least 8 bytes (the header length), got {bytes.Length}");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8))
            throw Bad(source, $"header length {headerLength} exceeds the {bytes.Length - 8} bytes after it");
        var header = bytes.Slice(8, (int)headerLength);
        var data = bytes[(8 + (int)headerLength)..];

        JsonDocument doc;
        try { doc = JsonDocument.Parse(header.ToArray()); }
        catch (JsonException e) { throw Bad(source, $"header is not valid JSON ({e.Message})"); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw Bad(source, "expected the header to be a JSON object");
            var metadata = new Dictionary<string, string>();
            var tensors = new Dictionary<string, Tensor>();
            try
            {
                foreach (var entry in doc.RootElement.EnumerateObject())
                {
                    if (entry.Name == MetadataKey)
                        ReadMetadata(entry.Value, metadata, source);
                    else
                        tensors[entry.Name] = ReadTensor(entry.Name, entry.Value, data, source);
                }
            }
            catch (InvalidOperationException e)
            {
                // System.Text.Json reports invalid UTF-8 inside a string only when it is read.
                foreach (var t in tensors.Values) t.Dispose();
                throw Bad(source, $"header holds invalid text ({e.Message})");
            }
            catch
            {
                foreach (var t in tensors.Values) t.Dispose();
                throw;
            }
            return new SafetensorsContent(tensors, metadata);
        }
    }

    static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string source)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Bad(source, $"expected \"{MetadataKey}\" to be an object of strings");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw Bad(source, $"metadata \"{item.Name}\": expected a string, got {item.Value.GetRawText()}");
            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    static Tensor ReadTensor(string name, JsonElement info, ReadOnlySpan<byte> data, string source)
    {
        if (info.ValueKind != JsonValueKind.Object
            || !info.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !info.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !info.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array
            || offsetsElement.GetArrayLength() != 2)
            throw Bad(source, $"tensor \"{name}\": expected {{\"dtype\": string, \"shape\": [ints], \"data_offsets\": [begin, end]}}, got {info.GetRawText()}");
        var code = dtypeElement.GetString()!;
        var dtype = SafetensorsDType.FromCode(code)
            ?? throw Bad(source, $"tensor \"{name}\": dtype \"{code}\" is not supported (expected one of {SafetensorsDType.Accepted})");
        var shape = shapeElement.EnumerateArray().Select(e => e.TryGetInt64(out var v) && v >= 0 ? v
            : throw Bad(source, $"tensor \"{name}\": shape entry {e.GetRawText()} is not a non-negative integer")).ToArray();
        var offsets = offsetsElement.EnumerateArray().Select(e => e.TryGetInt64(out var v) && v >= 0 ? v
            : throw Bad(source, $"tensor \"{name}\": data offset {e.GetRawText()} is not a non-negative integer")).ToArray();
        long count, expected;
        try
        {
            count = shape.Aggregate(1L, (a, b) => checked(a * b));
            expected = checked(count * dtype.Size);
        }
        catch (OverflowException)
        {
            throw Bad(source, $"tensor \"{name}\": shape [{string.Join(", ", shape)}] has more elements than a 64-bit count holds");
        }
        if (offsets[1] < offsets[0] || offsets[1] - offsets[0] != expected)
            throw Bad(source, $"tensor \"{name}\": {code} [{string.Join(", ", shape)}] needs {expected} bytes, data_offsets [{offsets[0]}, {offsets[1]}] give {offsets[1] - offsets[0]}");
        if (offsets[1] > data.Length)
            throw Bad(source, $"tensor \"{name}\": data_offsets end {offsets[1]} is past the {data.Length} data bytes");
        var tensor = torch.empty(shape, dtype.Type);
        if (expected > 0)
            data.Slice((int)offsets[0], (int)expected).CopyTo(tensor.bytes);
        return tensor;
    }

    /// <summary>
    /// Writes tensors (sorted by name) and metadata to <paramref name="path"/> atomically (a temporary
    /// file in the same folder, then a rename).
    /// </summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var bytes = Serialize(tensors, metadata);
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>The bytes of a safetensors file holding the tensors (sorted by name) and metadata.</summary>
    public static byte[] Serialize(IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var ordered = tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var blobs = new List<byte[]>(ordered.Count);
        var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject(MetadataKey);
                foreach (var (k, v) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal)) writer.WriteString(k, v);
                writer.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in ordered)
            {
                var (code, _) = SafetensorsDType.FromType(tensor.dtype);
                using var flat = tensor.detach().cpu().contiguous();
                var blob = flat.bytes.ToArray();
                blobs.Add(blob);
                writer.WriteStartObject(name);
                writer.WriteString("dtype", code);
                writer.WriteStartArray("shape");
                foreach (var d in tensor.shape) writer.WriteNumberValue(d);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(offset + blob.Length);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset += blob.Length;
            }
            writer.WriteEndObject();
        }
        // The header is padded with spaces so the data starts 8-byte aligned.
        var header = json.ToArray();
        var padded = (header.Length + 7) / 8 * 8;
        var output = new byte[8 + padded + blobs.Sum(b => (long)b.Length)];
        BinaryPrimitives.WriteUInt64LittleEndian(output, (ulong)padded);
        header.CopyTo(output, 8);
        for (int i = 8 + header.Length; i < 8 + padded; i++) output[i] = (byte)' ';
        var at = 8 + padded;
        foreach (var blob in blobs)
        {
            blob.CopyTo(output, at);
            at += blob.Length;
        }
        return output;
    }

    static UserInputException Bad(string source, string what) => new($"{source}: not a valid safetensors file: {what}.");
}
