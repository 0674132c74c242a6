using static TorchSharp.torch;

namespace Grela.IO;

/// <summary>The safetensors dtype codes Grela reads and writes, and their TorchSharp types.</summary>
public static class SafetensorsDType
{
    static readonly (string Code, ScalarType Type, int Size)[] Known =
    [
        ("F64", ScalarType.Float64, 8), ("F32", ScalarType.Float32, 4), ("F16", ScalarType.Float16, 2),
        ("BF16", ScalarType.BFloat16, 2), ("I64", ScalarType.Int64, 8), ("I32", ScalarType.Int32, 4),
        ("I16", ScalarType.Int16, 2), ("I8", ScalarType.Int8, 1), ("U8", ScalarType.Byte, 1), ("BOOL", ScalarType.Bool, 1),
    ];

    /// <summary>Codes accepted in a header, for error messages.</summary>
    public static string Accepted => string.Join(", ", Known.Select(k => k.Code));

    /// <summary>The TorchSharp type and element size of a header code, if known.</summary>
    public static (ScalarType Type, int Size)? FromCode(string code)
    {
        foreach (var k in Known)
            if (k.Code == code) return (k.Type, k.Size);
        return null;
    }

    /// <summary>The header code of a TorchSharp type.</summary>
    public static (string Code, int Size) FromType(ScalarType type)
    {
        foreach (var k in Known)
            if (k.Type == type) return (k.Code, k.Size);
        throw new NotSupportedException($"safetensors: tensors of type {type} cannot be written (supported: {Accepted}).");
    }
}
