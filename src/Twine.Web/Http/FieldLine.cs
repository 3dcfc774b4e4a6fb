namespace Twine.Web.Http;

/// <summary>
/// Validates one field line (<c>field-name ":" OWS field-value OWS</c>, RFC 9112 §5) of a header or trailer section.
/// Shared by requests, responses and chunked trailers: the rules do not depend on the direction.
/// </summary>
internal static class FieldLine
{
    /// <summary>
    /// Checks <paramref name="line"/> (without its CRLF) and returns where its name and trimmed value are, relative to
    /// <paramref name="offset"/>.
    /// </summary>
    /// <exception cref="HttpParseException">400 for obs-fold, whitespace before the colon, a bad name or a control byte.</exception>
    public static FieldEntry Parse(ReadOnlySpan<byte> line, int offset)
    {
        if (line.IsEmpty) throw new HttpParseException(400, "Empty field line.");
        // RFC 9112 §5.2: obs-fold is deprecated; a server rejects it with 400 rather than guess how it was meant.
        if (HttpChars.IsWhitespace(line[0])) throw new HttpParseException(400, "Obsolete line folding (a field line starting with whitespace).");
        int colon = line.IndexOf((byte)':');
        if (colon < 0) throw new HttpParseException(400, "Field line without a colon.");
        if (colon == 0) throw new HttpParseException(400, "Empty field name.");
        var name = line[..colon];
        // RFC 9112 §5.1: whitespace between name and colon MUST be rejected with 400 (a classic smuggling vector).
        if (HttpChars.IsWhitespace(name[^1])) throw new HttpParseException(400, "Whitespace between a field name and the colon.");
        foreach (var b in name)
            if (!HttpChars.IsToken(b)) throw new HttpParseException(400, $"Invalid character 0x{b:X2} in a field name.");

        var rest = line[(colon + 1)..];
        int start = 0, end = rest.Length;
        while (start < end && HttpChars.IsWhitespace(rest[start])) start++;
        while (end > start && HttpChars.IsWhitespace(rest[end - 1])) end--;
        for (int i = start; i < end; i++)
        {
            var b = rest[i];
            // Rejects NUL, bare CR, DEL and every other control byte (RFC 9110 §5.5).
            if (!HttpChars.IsFieldValue(b)) throw new HttpParseException(400, $"Invalid character 0x{b:X2} in a field value.");
        }
        return new FieldEntry(offset, colon, offset + colon + 1 + start, end - start);
    }
}
