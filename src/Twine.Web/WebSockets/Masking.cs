using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Twine.Web.WebSockets;

/// <summary>The XOR masking of RFC 6455 §5.3, eight bytes at a time.</summary>
internal static class Masking
{
    /// <summary>
    /// Masks (or unmasks: the operation is its own inverse) <paramref name="data"/> in place with <paramref name="key"/>
    /// (the four key bytes in wire order, read big-endian), starting <paramref name="offset"/> bytes into the frame's
    /// payload. Returns the offset after it, so a payload can be processed in pieces.
    /// </summary>
    public static int Apply(Span<byte> data, uint key, int offset)
    {
        if (key == 0 || data.IsEmpty) return (offset + data.Length) & 3;
        // Rotate the key so that byte 0 of data lines up with key byte (offset & 3).
        int shift = (offset & 3) * 8;
        uint rotated = shift == 0 ? key : (key << shift) | (key >> (32 - shift));
        Span<byte> k = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(k, rotated);
        uint k32 = MemoryMarshal.Read<uint>(k);
        ulong k64 = ((ulong)k32 << 32) | k32;
        int i = 0;
        var longs = MemoryMarshal.Cast<byte, ulong>(data);
        for (int j = 0; j < longs.Length; j++) longs[j] ^= k64;
        i = longs.Length * 8;
        for (; i < data.Length; i++) data[i] ^= k[i & 3];
        return (offset + data.Length) & 3;
    }
}
