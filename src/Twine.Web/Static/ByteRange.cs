namespace Twine.Web.Static;

/// <summary>What a Range header asks of a representation of known length.</summary>
internal enum ByteRangeResult
{
    /// <summary>No usable single byte range: serve the whole body (RFC 9110 §14.2 lets a server ignore Range).</summary>
    Ignore,

    /// <summary>One range that overlaps the body.</summary>
    Satisfiable,

    /// <summary>A well-formed range entirely past the end: 416.</summary>
    Unsatisfiable,
}

/// <summary>Parses a single <c>bytes=</c> range (RFC 9110 §14.1.2). Multiple ranges are ignored (whole body sent).</summary>
internal static class ByteRange
{
    public static ByteRangeResult Parse(string header, long length, out long start, out long count)
    {
        start = 0;
        count = length;
        if (!header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)) return ByteRangeResult.Ignore;
        var spec = header.AsSpan(6).Trim();
        if (spec.IndexOf(',') >= 0) return ByteRangeResult.Ignore;
        int dash = spec.IndexOf('-');
        if (dash < 0) return ByteRangeResult.Ignore;
        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.IsEmpty)
        {
            // Suffix range: the last N bytes.
            if (!TryDigits(last, out long suffix)) return ByteRangeResult.Ignore;
            if (suffix == 0 || length == 0) return ByteRangeResult.Unsatisfiable;
            count = Math.Min(suffix, length);
            start = length - count;
            return ByteRangeResult.Satisfiable;
        }
        if (!TryDigits(first, out long from)) return ByteRangeResult.Ignore;
        long to = length - 1;
        if (!last.IsEmpty)
        {
            if (!TryDigits(last, out to) || to < from) return ByteRangeResult.Ignore;
            to = Math.Min(to, length - 1);
        }
        if (from >= length) return ByteRangeResult.Unsatisfiable;
        start = from;
        count = to - from + 1;
        return ByteRangeResult.Satisfiable;
    }

    private static bool TryDigits(ReadOnlySpan<char> s, out long value)
    {
        value = 0;
        if (s.IsEmpty || s.Length > 18) return false;
        foreach (var c in s)
        {
            if (c is < '0' or > '9') return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }
}
