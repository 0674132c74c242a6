using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Grela.Errors;

namespace Grela.Cli.Runs;

/// <summary>
/// Reads the tensor names and shapes of a PyTorch <c>.pt</c> state dict without loading any tensor:
/// the zip's <c>data.pkl</c> is interpreted by a small pickle machine that knows the opcodes
/// <c>torch.save</c> writes (protocols 2 to 4) and turns <c>torch._utils._rebuild_tensor_v2</c>
/// calls into their size tuples. Anything else is a clear error.
/// </summary>
internal static class TorchPickleShapes
{
    private sealed record Global(string Module, string Name);
    private sealed record Shape(long[] Dims);
    private sealed class Mark;

    /// <summary>Largest data.pkl read: 16 MiB (a state dict's pickle holds names and shapes, not tensors).</summary>
    public const int MaxPickleBytes = 16 << 20;

    public static IReadOnlyDictionary<string, long[]> Read(string path)
    {
        // The central directory and the entries are read lazily: any zip fault, wherever it shows, is the file's.
        try
        {
            return ReadZip(path);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException and not FileNotFoundException)
        {
            throw new UserInputException($"--weights {path}: the zip archive is corrupt or truncated ({e.Message})", e);
        }
    }

    private static IReadOnlyDictionary<string, long[]> ReadZip(string path)
    {
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new UserInputException($"--weights {path}: the zip archive is corrupt or truncated ({e.Message})", e);
        }
        using var _ = zip;
        var entry = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("data.pkl", StringComparison.Ordinal))
            ?? throw new UserInputException($"--weights {path}: a zip archive without data.pkl is not a PyTorch .pt file");
        // A zip bomb inflates a small data.pkl to gigabytes: read at most MaxPickleBytes of it.
        if (entry.Length > MaxPickleBytes)
            throw new UserInputException($"--weights {path}: data.pkl declares {entry.Length:N0} bytes, more than the {MaxPickleBytes:N0} a state dict's pickle needs");
        byte[] pickle;
        try
        {
            using var stream = entry.Open();
            var buffer = new byte[MaxPickleBytes + 1];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = stream.Read(buffer, read, buffer.Length - read)) > 0)
                read += n;
            if (read > MaxPickleBytes)
                throw new UserInputException($"--weights {path}: data.pkl inflates past {MaxPickleBytes:N0} bytes; refusing it");
            pickle = buffer[..read];
        }
        catch (InvalidDataException e)
        {
            throw new UserInputException($"--weights {path}: the zip archive is corrupt or truncated ({e.Message})", e);
        }
        var result = Run(pickle, path);
        if (result is not Dictionary<object, object?> dict)
            throw new UserInputException($"--weights {path}: the .pt file holds a {Describe(result)}, not a state dict");
        return dict.Where(p => p.Key is string && p.Value is Shape)
            .ToDictionary(p => (string)p.Key, p => ((Shape)p.Value!).Dims, StringComparer.Ordinal);
    }

    private static object? Run(byte[] code, string path)
    {
        var stack = new List<object?>();
        var memo = new Dictionary<long, object?>();
        var i = 0;
        int U8() => code[i++];
        int I32() { var v = BinaryPrimitives.ReadInt32LittleEndian(code.AsSpan(i, 4)); i += 4; return v; }
        string Line() { var end = Array.IndexOf(code, (byte)'\n', i); var s = Encoding.UTF8.GetString(code, i, end - i); i = end + 1; return s; }
        string Utf8(int n) { var s = Encoding.UTF8.GetString(code, i, n); i += n; return s; }
        object? Pop() { var v = stack[^1]; stack.RemoveAt(stack.Count - 1); return v; }
        List<object?> PopToMark()
        {
            var mark = stack.FindLastIndex(o => o is Mark);
            var items = stack.GetRange(mark + 1, stack.Count - mark - 1);
            stack.RemoveRange(mark, stack.Count - mark);
            return items;
        }
        try
        {
            while (true)
            {
                var op = U8();
                switch (op)
                {
                    case 0x80: i++; break;                                         // PROTO
                    case 0x95: i += 8; break;                                      // FRAME
                    case '}': stack.Add(new Dictionary<object, object?>()); break; // EMPTY_DICT
                    case ']': stack.Add(new List<object?>()); break;                // EMPTY_LIST
                    case ')': stack.Add(Array.Empty<object?>()); break;             // EMPTY_TUPLE
                    case '(': stack.Add(new Mark()); break;                         // MARK
                    case 'c': { var module = Line(); stack.Add(new Global(module, Line())); break; }
                    case 0x93: { var name = Pop() as string; stack.Add(new Global(Pop() as string ?? "", name ?? "")); break; } // STACK_GLOBAL
                    case 'q': memo[U8()] = stack[^1]; break;                        // BINPUT
                    case 'r': memo[I32()] = stack[^1]; break;                       // LONG_BINPUT
                    case 0x94: memo[memo.Count] = stack[^1]; break;                 // MEMOIZE
                    case 'h': stack.Add(memo[U8()]); break;                         // BINGET
                    case 'j': stack.Add(memo[I32()]); break;                        // LONG_BINGET
                    case 'X': stack.Add(Utf8(I32())); break;                        // BINUNICODE
                    case 0x8c: stack.Add(Utf8(U8())); break;                        // SHORT_BINUNICODE
                    case 'K': stack.Add((long)U8()); break;                         // BININT1
                    case 'M': { var v = BinaryPrimitives.ReadUInt16LittleEndian(code.AsSpan(i, 2)); i += 2; stack.Add((long)v); break; }
                    case 'J': stack.Add((long)I32()); break;                        // BININT
                    case 0x8a:                                                      // LONG1
                    {
                        var n = U8();
                        long v = 0;
                        for (var b = n - 1; b >= 0; b--) v = (v << 8) | code[i + b];
                        if (n is > 0 and < 8 && (code[i + n - 1] & 0x80) != 0) v -= 1L << (8 * n);
                        i += n;
                        stack.Add(v);
                        break;
                    }
                    case 'G': { var v = BinaryPrimitives.ReadDoubleBigEndian(code.AsSpan(i, 8)); i += 8; stack.Add(v); break; }
                    case 'N': stack.Add(null); break;
                    case 0x88: stack.Add(true); break;
                    case 0x89: stack.Add(false); break;
                    case 't': stack.Add(PopToMark().ToArray()); break;              // TUPLE
                    case 0x85: stack.Add(new[] { Pop() }); break;                   // TUPLE1
                    case 0x86: { var b = Pop(); var a = Pop(); stack.Add(new[] { a, b }); break; }
                    case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); stack.Add(new[] { a, b, c }); break; }
                    case 'Q': Pop(); stack.Add(new object()); break;                 // BINPERSID: a storage, not needed
                    case 'R':                                                       // REDUCE
                    case 0x81:                                                      // NEWOBJ
                    {
                        var args = Pop() as object?[] ?? [];
                        stack.Add(Pop() is Global g ? Call(g, args) : new object());
                        break;
                    }
                    case 's': { var v = Pop(); var k = Pop(); if (stack[^1] is Dictionary<object, object?> d && k is not null) d[k] = v; break; }
                    case 'u':                                                       // SETITEMS
                    {
                        var items = PopToMark();
                        if (stack[^1] is Dictionary<object, object?> d)
                            for (var k = 0; k + 1 < items.Count; k += 2)
                                if (items[k] is { } key) d[key] = items[k + 1];
                        break;
                    }
                    case 'a': { var v = Pop(); (stack[^1] as List<object?>)?.Add(v); break; }
                    case 'e': { var items = PopToMark(); (stack[^1] as List<object?>)?.AddRange(items); break; }
                    case 'b': Pop(); break;                                         // BUILD: state ignored
                    case '.': return stack.Count > 0 ? stack[^1] : null;            // STOP
                    default:
                        throw new UserInputException($"--weights {path}: data.pkl uses pickle opcode 0x{op:x2} at byte {i - 1}, which grela does not read; give --data or use safetensors");
                }
            }
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException or KeyNotFoundException or InvalidCastException)
        {
            throw new UserInputException($"--weights {path}: data.pkl is malformed near byte {i}: {e.Message}");
        }
    }

    private static object? Call(Global callable, object?[] args) => (callable.Module, callable.Name) switch
    {
        ("torch._utils", "_rebuild_tensor_v2") or ("torch._utils", "_rebuild_tensor") when args.Length > 2 && args[2] is object?[] size =>
            new Shape([.. size.Select(d => d is long l ? l : 0)]),
        ("torch._utils", "_rebuild_parameter") when args.Length > 0 => args[0],
        ("collections", "OrderedDict") => new Dictionary<object, object?>(),
        _ => new object(),
    };

    private static string Describe(object? value) => value switch
    {
        null => "None",
        Shape => "single tensor",
        _ => value.GetType().Name,
    };
}
