using System.Text;

namespace Twine.Interop.Tests.Framing;

/// <summary>The messages every framing must carry unchanged between Twine and Twisted, and the inputs that must be refused.</summary>
internal static class EdgeCases
{
    /// <summary>Every byte value once, in order. In a line this includes a lone CR and a lone LF (only CRLF delimits).</summary>
    public static byte[] AllBytes { get; } = [.. Enumerable.Range(0, 256).Select(i => (byte)i)];

    /// <summary>A payload of <paramref name="length"/> bytes whose reversal differs from itself, so order is checked too.</summary>
    public static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++) bytes[i] = (byte)('a' + i % 23);
        return bytes;
    }

    /// <summary>The echo transformation both sides apply: the same bytes, reversed.</summary>
    public static byte[] Reverse(byte[] payload)
    {
        var reversed = (byte[])payload.Clone();
        Array.Reverse(reversed);
        return reversed;
    }

    /// <summary>
    /// Messages for <paramref name="kind"/>: empty, one byte, binary, UTF-8, framing characters inside the payload, and
    /// exactly the largest size both sides accept. Lines cannot contain CRLF (and, reversed, must not form one).
    /// </summary>
    public static byte[][] Messages(FramingKind kind)
    {
        var common = new List<byte[]>
        {
            "hello"u8.ToArray(),
            Array.Empty<byte>(),
            "a"u8.ToArray(),
            AllBytes,
            Encoding.UTF8.GetBytes("héllo wörld ✓ 日本"),
        };
        switch (kind)
        {
            case FramingKind.Lines:
                common.Add("ends with CR\r"u8.ToArray());    // "…\r\r\n": the first CRLF ends the line, the CR stays in it
                common.Add("\nstarts with LF"u8.ToArray());
                common.Add("  spaces and\ttabs  "u8.ToArray());
                break;
            case FramingKind.Netstrings:
                common.Add("1:a,"u8.ToArray());             // a netstring inside a netstring (NS1)
                common.Add("\r\n,:0:,"u8.ToArray());
                common.Add("12345:"u8.ToArray());
                break;
            case FramingKind.Int32:
                common.Add([0, 0, 0, 5, 1, 2, 3, 4, 5]);     // looks like a prefix
                common.Add([0xFF, 0xFF, 0xFF, 0xFF]);
                common.Add("\r\n"u8.ToArray());
                break;
        }
        common.Add(Pattern(kind.MaxLength()));
        return [.. common];
    }

    /// <summary>Many short messages back to back: framing boundaries fall everywhere inside the reads.</summary>
    public static byte[][] Burst(int count) =>
        [.. Enumerable.Range(0, count).Select(i => Encoding.ASCII.GetBytes($"message {i} " + new string('x', i % 37)))];
}
