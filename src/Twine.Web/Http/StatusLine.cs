namespace Twine.Web.Http;

/// <summary>A parsed status line (<c>HTTP-version SP status-code SP [reason-phrase]</c>, RFC 9112 §4), for the client side.</summary>
internal readonly record struct StatusLine(int MinorVersion, int Code, int ReasonStart, int ReasonLength)
{
    /// <summary>Parses <paramref name="line"/> (without CRLF), which starts at <paramref name="offset"/> in the head.</summary>
    /// <exception cref="HttpParseException">A malformed line or a version other than HTTP/1.x.</exception>
    public static StatusLine Parse(ReadOnlySpan<byte> line, int offset)
    {
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || (uint)(line[7] - '0') > 9 || line[8] != (byte)' ')
            throw new HttpParseException(502, "Malformed status line.");
        int code = 0;
        for (int i = 9; i < 12; i++)
        {
            if ((uint)(line[i] - '0') > 9) throw new HttpParseException(502, "Malformed status code.");
            code = code * 10 + (line[i] - '0');
        }
        if (code < 100) throw new HttpParseException(502, "Status code below 100.");
        // The reason phrase may be empty, but the space before it is required (RFC 9112 §4).
        if (line.Length > 12 && line[12] != (byte)' ') throw new HttpParseException(502, "Malformed status line.");
        var reason = line.Length > 13 ? line[13..] : default;
        foreach (var b in reason)
            if (!HttpChars.IsFieldValue(b)) throw new HttpParseException(502, $"Invalid character 0x{b:X2} in the reason phrase.");
        return new StatusLine(line[7] - '0', code, offset + Math.Min(13, line.Length), reason.Length);
    }
}
