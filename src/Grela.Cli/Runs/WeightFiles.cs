using Grela.Errors;
using Grela.IO;
using Grela.Runs;
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
    /// <summary>The spellings of <see cref="WeightFormat"/> that export's <c>--format</c> accepts, in its order.</summary>
    public static readonly IReadOnlyList<string> FormatNames = ["safetensors", "pt"];

    public static WeightFormat ParseFormat(string text) => text.ToLowerInvariant() switch
    {
        "safetensors" => WeightFormat.Safetensors,
        "pt" => WeightFormat.Pt,
        _ => throw new UserInputException($"--format: expected {string.Join('|', FormatNames)}, got \"{text}\""),
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
        Grela.IO.InputFile.Check(path, "a safetensors or PyTorch .pt weight file");
        using var stream = File.OpenRead(path);
        var head = new byte[9];
        var read = stream.Read(head);
        if (read >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4)
            return WeightFormat.Pt;
        if (read == 9 && head[8] == (byte)'{')
            return WeightFormat.Safetensors;
        throw new UserInputException($"--weights {path}: neither a safetensors file (8-byte length, then a JSON header) nor a PyTorch .pt zip archive");
    }

    /// <summary>Names and shapes of the tensors in a weight file, without building a model.</summary>
    public static IReadOnlyDictionary<string, long[]> Shapes(string path, WeightFormat format) => Header(path, format).Shapes;

    /// <summary>Names and shapes of the tensors in a weight file and its metadata (a .pt file has none), without building a model.</summary>
    public static (IReadOnlyDictionary<string, long[]> Shapes, IReadOnlyDictionary<string, string> Metadata) Header(string path, WeightFormat format)
    {
        if (format == WeightFormat.Pt)
            return (Plausible(path, TorchPickleShapes.Read(path)), new Dictionary<string, string>());
        using var content = Grela.IO.Safetensors.Read(path);
        return (Plausible(path, content.Tensors.ToDictionary(p => p.Key, p => p.Value.shape)), content.Metadata);
    }

    /// <summary>
    /// Refuses shapes a real weight file cannot have, before anything is sized from them: a zero-size
    /// dimension (a tensor of no elements that claims billions of rows) or more elements in all
    /// than the file has bytes (a header that declares a huge tensor it does not hold). PyTorch and
    /// grela store tensors uncompressed, at least one byte per element.
    /// </summary>
    private static IReadOnlyDictionary<string, long[]> Plausible(string path, IReadOnlyDictionary<string, long[]> shapes)
    {
        var size = new FileInfo(path).Length;
        var total = 0L;
        foreach (var (name, shape) in shapes.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (shape.Any(d => d <= 0))
                throw new UserInputException($"--weights {path}: tensor \"{name}\" has shape [{string.Join(", ", shape)}] with a zero-size dimension; model weights have none");
            var elements = 1L;
            foreach (var d in shape)
                elements = d > (size + 1) / Math.Max(elements, 1) ? long.MaxValue : elements * d;
            total = elements == long.MaxValue || total > size ? long.MaxValue : total + elements;
            if (total > size)
                throw new UserInputException($"--weights {path}: tensor \"{name}\" declares [{string.Join(", ", shape)}] elements, more than the file's {size:N0} bytes can hold");
        }
        return shapes;
    }

    /// <summary>
    /// Loads weights strictly (the same tensor names and shapes as the model's state dict). The
    /// file's names and shapes are compared first, so the error lists every difference at once.
    /// </summary>
    public static void Load(torch.nn.Module module, WeightFormat format, string path)
    {
        CheckShapes(module, Shapes(path, format), path);
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

    private static void CheckShapes(torch.nn.Module module, IReadOnlyDictionary<string, long[]> file, string path)
    {
        var problems = WeightShapes.Misfits([.. module.state_dict().Select(p => KeyValuePair.Create(p.Key, p.Value.shape))], file);
        if (problems.Count > 0)
            throw WeightShapes.MisfitError($"--weights {path}", "model", problems);
    }
}
