using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Grela.Tests.Hardening;

/// <summary>
/// Checkpoint bytes with the header section replaced and a valid checksum recomputed: what a forger
/// (not a disk error) produces. The layout is the checkpoint format's: magic, four length-prefixed
/// sections (header, model, optimizer, RNG), SHA-256 of everything before it.
/// </summary>
internal static class ForgedCheckpoint
{
    public static byte[] WithHeader(byte[] checkpoint, Func<byte[], byte[]> editHeader)
    {
        var sections = new List<byte[]>();
        var offset = 8;
        for (var i = 0; i < 4; i++)
        {
            var length = (int)BinaryPrimitives.ReadInt64LittleEndian(checkpoint.AsSpan(offset, 8));
            sections.Add(checkpoint.AsSpan(offset + 8, length).ToArray());
            offset += 8 + length;
        }
        sections[0] = editHeader(sections[0]);
        using var body = new MemoryStream();
        body.Write("GRELACK1"u8);
        foreach (var section in sections)
        {
            body.Write(BitConverter.GetBytes((long)section.Length));
            body.Write(section);
        }
        var content = body.ToArray();
        return [.. content, .. SHA256.HashData(content)];
    }
}
