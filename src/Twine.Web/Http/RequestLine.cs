using System.Text;

namespace Twine.Web.Http;

/// <summary>
/// A parsed request line (<c>method SP request-target SP HTTP-version</c>, RFC 9112 §3): the method as a string
/// (interned for the standard methods, so the common case allocates nothing) and the target and authority as places in
/// the head's bytes.
/// </summary>
internal readonly record struct RequestLine(
    string Method, int TargetStart, int TargetLength, int PathStart, int MinorVersion, TargetForm Form,
    int AuthorityStart, int AuthorityLength)
{
    private static readonly string[] s_knownMethods = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT"];

    /// <summary>Parses <paramref name="line"/> (without CRLF), which starts at <paramref name="offset"/> in the head.</summary>
    /// <exception cref="HttpParseException">400 for bad syntax, 505 for an HTTP version other than 1.x.</exception>
    public static RequestLine Parse(ReadOnlySpan<byte> line, int offset)
    {
        int sp1 = line.IndexOf((byte)' ');
        if (sp1 <= 0) throw new HttpParseException(400, sp1 == 0 ? "The request line starts with a space." : "Malformed request line.");
        var methodBytes = line[..sp1];
        foreach (var b in methodBytes)
            if (!HttpChars.IsToken(b)) throw new HttpParseException(400, $"Invalid character 0x{b:X2} in the method.");

        var afterMethod = line[(sp1 + 1)..];
        int sp2 = afterMethod.IndexOf((byte)' ');
        if (sp2 <= 0) throw new HttpParseException(400, sp2 == 0 ? "Extra whitespace in the request line." : "Malformed request line.");
        var target = afterMethod[..sp2];
        var version = afterMethod[(sp2 + 1)..];
        int minor = ParseVersion(version);

        string method = Intern(methodBytes);
        int targetStart = offset + sp1 + 1;
        foreach (var b in target)
            if (!HttpChars.IsTarget(b)) throw new HttpParseException(400, $"Invalid character 0x{b:X2} in the request target.");
        CheckPercentEncoding(target);

        if (method == "CONNECT")
        {
            // authority-form only: host ":" port, nothing else.
            int colon = target.LastIndexOf((byte)':');
            if (target.IndexOfAny((byte)'/', (byte)'?') >= 0 || colon < 1 || colon == target.Length - 1 || !HostSyntax.IsValid(target))
                throw new HttpParseException(400, "CONNECT needs an authority-form target (host:port).");
            return new(method, targetStart, target.Length, targetStart + target.Length, minor, TargetForm.Authority, targetStart, target.Length);
        }
        if (target[0] == (byte)'/')
            return new(method, targetStart, target.Length, targetStart, minor, TargetForm.Origin, 0, 0);
        if (target.Length == 1 && target[0] == (byte)'*')
        {
            if (method != "OPTIONS") throw new HttpParseException(400, "The asterisk-form target is for OPTIONS only.");
            return new(method, targetStart, 1, targetStart, minor, TargetForm.Asterisk, 0, 0);
        }
        return ParseAbsolute(method, target, targetStart, minor);
    }

    private static RequestLine ParseAbsolute(string method, ReadOnlySpan<byte> target, int targetStart, int minor)
    {
        int schemeEnd = target.IndexOf("://"u8);
        if (schemeEnd <= 0) throw new HttpParseException(400, "The request target is not in origin-, absolute-, authority- or asterisk-form.");
        var scheme = target[..schemeEnd];
        if (!HttpChars.EqualsIgnoreCase(scheme, "http") && !HttpChars.EqualsIgnoreCase(scheme, "https"))
            throw new HttpParseException(400, "Only http and https absolute-form targets are served.");
        int authorityStart = schemeEnd + 3;
        var rest = target[authorityStart..];
        int authorityLength = rest.IndexOfAny((byte)'/', (byte)'?');
        if (authorityLength < 0) authorityLength = rest.Length;
        var authority = rest[..authorityLength];
        if (authority.IsEmpty || authority.IndexOf((byte)'@') >= 0 || !HostSyntax.IsValid(authority))
            throw new HttpParseException(400, "Invalid authority in an absolute-form target.");
        return new(method, targetStart, target.Length, targetStart + authorityStart + authorityLength, minor, TargetForm.Absolute,
            targetStart + authorityStart, authorityLength);
    }

    private static int ParseVersion(ReadOnlySpan<byte> v)
    {
        // HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive (RFC 9112 §2.3).
        if (v.Length != 8 || !v.StartsWith("HTTP/"u8) || v[6] != (byte)'.' || (uint)(v[5] - '0') > 9 || (uint)(v[7] - '0') > 9)
            throw new HttpParseException(400, "Malformed HTTP version.");
        int major = v[5] - '0', minor = v[7] - '0';
        // An HTTP/2 preface ("PRI * HTTP/2.0") lands here too: 505, then the connection closes.
        if (major != 1) throw new HttpParseException(505, $"HTTP/{major}.{minor} is not supported.");
        return minor;
    }

    private static void CheckPercentEncoding(ReadOnlySpan<byte> target)
    {
        for (int i = target.IndexOf((byte)'%'); i >= 0; i = target[(i + 1)..].IndexOf((byte)'%') is var n and >= 0 ? i + 1 + n : -1)
        {
            if (i + 2 >= target.Length || !HttpChars.IsHexDigit(target[i + 1]) || !HttpChars.IsHexDigit(target[i + 2]))
                throw new HttpParseException(400, "Malformed percent-encoding in the request target.");
        }
    }

    private static string Intern(ReadOnlySpan<byte> method)
    {
        foreach (var known in s_knownMethods)
            if (method.Length == known.Length && Matches(method, known)) return known;
        return Encoding.ASCII.GetString(method);
    }

    private static bool Matches(ReadOnlySpan<byte> bytes, string s)
    {
        for (int i = 0; i < bytes.Length; i++) if (bytes[i] != s[i]) return false;
        return true;
    }
}
