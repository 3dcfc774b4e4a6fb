using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Twine.Web.WebSockets;

namespace Twine.Web.Tests.WebSockets;

/// <summary>A frame as the tests see it on the wire.</summary>
internal sealed record WireFrame(bool Fin, int Rsv, int Opcode, byte[] Payload)
{
    public string Text => Encoding.UTF8.GetString(Payload);

    /// <summary>The close code of a close frame (1005 when it has none).</summary>
    public int CloseCode => Payload.Length >= 2 ? (Payload[0] << 8) | Payload[1] : WebSocketCloseCode.NoStatus;
}

/// <summary>Hand-built frames for driving a protocol, and a reader for what it wrote.</summary>
internal static class WireFrames
{
    private static readonly byte[] s_key = [0x37, 0xFA, 0x21, 0x3D];

    /// <summary>One frame; masked (as a client sends) unless <paramref name="mask"/> is false.</summary>
    public static byte[] Build(int opcode, ReadOnlySpan<byte> payload, bool fin = true, int rsv = 0, bool mask = true, int? lengthCode = null)
    {
        var frame = new List<byte> { (byte)((fin ? 0x80 : 0) | (rsv << 4) | opcode) };
        int len7 = lengthCode ?? (payload.Length <= 125 ? payload.Length : payload.Length <= 0xFFFF ? 126 : 127);
        frame.Add((byte)((mask ? 0x80 : 0) | len7));
        if (len7 == 126)
        {
            frame.Add((byte)(payload.Length >> 8));
            frame.Add((byte)payload.Length);
        }
        else if (len7 == 127)
        {
            var l = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(l, (ulong)payload.Length);
            frame.AddRange(l);
        }
        if (mask) frame.AddRange(s_key);
        for (int i = 0; i < payload.Length; i++) frame.Add(mask ? (byte)(payload[i] ^ s_key[i & 3]) : payload[i]);
        return [.. frame];
    }

    public static byte[] Text(string text, bool fin = true, bool mask = true) => Build(1, Encoding.UTF8.GetBytes(text), fin, mask: mask);

    public static byte[] Binary(byte[] data, bool fin = true, bool mask = true) => Build(2, data, fin, mask: mask);

    public static byte[] Continuation(ReadOnlySpan<byte> data, bool fin = true, bool mask = true) => Build(0, data, fin, mask: mask);

    public static byte[] Continuation(string text, bool fin = true, bool mask = true) => Build(0, Encoding.UTF8.GetBytes(text), fin, mask: mask);

    public static byte[] Close(int? code = 1000, string reason = "", bool mask = true)
    {
        var payload = new List<byte>();
        if (code is { } c)
        {
            payload.Add((byte)(c >> 8));
            payload.Add((byte)c);
            payload.AddRange(Encoding.UTF8.GetBytes(reason));
        }
        return Build(8, payload.ToArray(), mask: mask);
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>Raw deflate of a message as permessage-deflate sends it: sync-flushed, the final 00 00 FF FF removed.</summary>
    public static byte[] Deflate(byte[] message)
    {
        var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(message);
            deflate.Flush();
        }
        var bytes = output.ToArray();
        int end = bytes.AsSpan().IndexOf((ReadOnlySpan<byte>)[0x00, 0x00, 0xFF, 0xFF]);
        return bytes[..end];
    }

    /// <summary>Parses every complete frame in <paramref name="data"/> (unmasking masked ones).</summary>
    public static List<WireFrame> Parse(ReadOnlySpan<byte> data)
    {
        var frames = new List<WireFrame>();
        int pos = 0;
        while (data.Length - pos >= 2)
        {
            byte b0 = data[pos], b1 = data[pos + 1];
            int at = pos + 2;
            long length = b1 & 0x7F;
            if (length == 126)
            {
                if (data.Length < at + 2) break;
                length = BinaryPrimitives.ReadUInt16BigEndian(data[at..]);
                at += 2;
            }
            else if (length == 127)
            {
                if (data.Length < at + 8) break;
                length = (long)BinaryPrimitives.ReadUInt64BigEndian(data[at..]);
                at += 8;
            }
            byte[]? key = null;
            if ((b1 & 0x80) != 0)
            {
                if (data.Length < at + 4) break;
                key = data.Slice(at, 4).ToArray();
                at += 4;
            }
            if (data.Length < at + length) break;
            var payload = data.Slice(at, (int)length).ToArray();
            if (key is not null) for (int i = 0; i < payload.Length; i++) payload[i] ^= key[i & 3];
            frames.Add(new WireFrame((b0 & 0x80) != 0, (b0 >> 4) & 7, b0 & 0xF, payload));
            pos = at + (int)length;
        }
        return frames;
    }
}
