using System.Buffers.Binary;
using System.Text.Json;
using Grela.Errors;
using Grela.Training;
using TorchSharp;
using TorchSharp.PyBridge;

namespace Grela.Cli.Runs;

/// <summary>Weight file formats grela exchanges with PyTorch.</summary>
internal enum WeightFormat { Safetensors, Pt }

/// <summary>
/// Model weights in PyTorch's formats under the reference implementation's parameter names (the
/// module's state-dict names), through TorchSharp.PyBridge. Writes are atomic.
/// </summary>
internal static class WeightFiles
{
    public static WeightFormat ParseFormat(string text) => text.ToLowerInvariant() switch
    {
        "safetensors" => WeightFormat.Safetensors,
        "pt" => WeightFormat.Pt,
        _ => throw new UserInputException($"--format: expected safetensors|pt, got \"{text}\""),
    };

    public static void Save(torch.nn.Module module, WeightFormat format, string path) =>
        AtomicFile.Write(path, stream =>
        {
            if (format == WeightFormat.Safetensors)
                module.save_safetensors(stream, null, true);
            else
                module.save_py(stream, null, true);
        });

    /// <summary>Recognises a file by its content: a zip archive is a PyTorch .pt, a JSON header a safetensors file.</summary>
    public static WeightFormat Detect(string path)
    {
        if (!File.Exists(path))
            throw new UserInputException($"--weights {path}: file not found");
        using var stream = File.OpenRead(path);
        var head = new byte[9];
        var read = stream.Read(head);
        if (read >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4)
            return WeightFormat.Pt;
        if (read == 9 && head[8] == (byte)'{')
            return WeightFormat.Safetensors;
        throw new UserInputException($"--weights {path}: neither a safetensors file (8-byte length, then a JSON header) nor a PyTorch .pt zip archive");
    }

    /// <summary>Names and shapes in a safetensors header, without reading the tensors.</summary>
    public static IReadOnlyDictionary<string, long[]> SafetensorsShapes(string path)
    {
        using var stream = File.OpenRead(path);
        var prefix = new byte[8];
        if (stream.Read(prefix) != 8)
            throw new UserInputException($"--weights {path}: truncated safetensors file");
        var length = BinaryPrimitives.ReadInt64LittleEndian(prefix);
        if (length <= 0 || length > stream.Length - 8)
            throw new UserInputException($"--weights {path}: safetensors header length {length} does not fit the file ({stream.Length} bytes)");
        var header = new byte[length];
        stream.ReadExactly(header);
        try
        {
            using var json = JsonDocument.Parse(header);
            return json.RootElement.EnumerateObject()
                .Where(p => p.Name != "__metadata__" && p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("shape", out _))
                .ToDictionary(p => p.Name, p => p.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray());
        }
        catch (JsonException e)
        {
            throw new UserInputException($"--weights {path}: unreadable safetensors header: {e.Message}");
        }
    }

    /// <summary>
    /// Loads weights strictly: the same tensor names and shapes as the model's state dict. For
    /// safetensors the header is compared first, so the error lists exactly what differs.
    /// </summary>
    public static void Load(torch.nn.Module module, WeightFormat format, string path)
    {
        if (format == WeightFormat.Safetensors)
            CheckNames(module, SafetensorsShapes(path), path);
        try
        {
            if (format == WeightFormat.Safetensors)
                module.load_safetensors(path, strict: true);
            else
                module.load_py(path, strict: true);
        }
        catch (Exception e) when (e is not UserInputException and not OutOfMemoryException)
        {
            throw new UserInputException($"--weights {path}: cannot load into this model: {e.Message}", e);
        }
    }

    private static void CheckNames(torch.nn.Module module, IReadOnlyDictionary<string, long[]> file, string path)
    {
        var model = module.state_dict().ToDictionary(p => p.Key, p => p.Value.shape);
        var problems = new List<string>();
        var missing = model.Keys.Where(k => !file.ContainsKey(k)).ToList();
        var extra = file.Keys.Where(k => !model.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            problems.Add($"missing {string.Join(", ", missing.Take(6))}{(missing.Count > 6 ? $" and {missing.Count - 6} more" : "")}");
        if (extra.Count > 0)
            problems.Add($"unexpected {string.Join(", ", extra.Take(6))}{(extra.Count > 6 ? $" and {extra.Count - 6} more" : "")}");
        foreach (var (name, shape) in model)
            if (file.TryGetValue(name, out var other) && !other.SequenceEqual(shape))
                problems.Add($"{name} has shape [{string.Join(", ", other)}], the model expects [{string.Join(", ", shape)}]");
        if (problems.Count > 0)
            throw new UserInputException($"--weights {path}: does not match the model: {string.Join("; ", problems)}");
    }
}
