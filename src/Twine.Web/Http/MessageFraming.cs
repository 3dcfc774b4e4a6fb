namespace Twine.Web.Http;

/// <summary>
/// Decides how a message body is framed from its head (RFC 9112 §6), strictly: conflicting or ambiguous framing is
/// refused, never guessed, because two parsers guessing differently is what request smuggling exploits. Requests
/// (server side) and responses (client side) share the Content-Length and Transfer-Encoding rules.
/// </summary>
internal static class MessageFraming
{
    /// <summary>The framing of a request body.</summary>
    /// <exception cref="HttpParseException">400 for bad or conflicting framing, 501 for a transfer coding other than chunked.</exception>
    public static (BodyKind Kind, long Length) ForRequest(HttpHeaders headers, bool http10)
    {
        bool hasTe = headers.Contains("Transfer-Encoding");
        long? length = ContentLength(headers);
        if (hasTe)
        {
            // RFC 9112 §6.1: TE in HTTP/1.0 means the framing is faulty; §6.3: TE with CL is a smuggling attempt or a
            // broken intermediary. Either way, refuse and close.
            if (http10) throw new HttpParseException(400, "Transfer-Encoding in an HTTP/1.0 request.");
            if (length is not null) throw new HttpParseException(400, "Both Content-Length and Transfer-Encoding.");
            CheckChunkedLast(headers, request: true);
            return (BodyKind.Chunked, -1);
        }
        return length is > 0 ? (BodyKind.Length, length.Value) : (BodyKind.None, 0);
    }

    /// <summary>The framing of a response body to a request with <paramref name="requestMethod"/>.</summary>
    /// <exception cref="HttpParseException">400 for bad Content-Length.</exception>
    public static (BodyKind Kind, long Length) ForResponse(int status, string requestMethod, HttpHeaders headers)
    {
        if (requestMethod == "HEAD" || status is >= 100 and < 200 or 204 or 304) return (BodyKind.None, 0);
        if (headers.Contains("Transfer-Encoding"))
        {
            // A response whose final coding is not chunked is delimited by the close (RFC 9112 §6.3 rule 4).
            return CheckChunkedLast(headers, request: false) ? (BodyKind.Chunked, -1) : (BodyKind.UntilClose, -1);
        }
        long? length = ContentLength(headers);
        return length is { } n ? (n == 0 ? (BodyKind.None, 0) : (BodyKind.Length, n)) : (BodyKind.UntilClose, -1);
    }

    /// <summary>
    /// The Content-Length: absent (null), or one decimal value. Repeated fields or list members must all be equal
    /// (RFC 9110 §8.6); signs, hex, spaces inside, and values that overflow are refused.
    /// </summary>
    public static long? ContentLength(HttpHeaders headers)
    {
        long? result = null;
        for (int i = headers.IndexOf("Content-Length"); i >= 0; i = headers.IndexOf("Content-Length", i + 1))
        {
            var value = headers.ValueBytes(i);
            foreach (var range in value.Split((byte)','))
            {
                long n = ParseDecimal(HttpChars.TrimOws(value[range]));
                if (result is { } previous && previous != n) throw new HttpParseException(400, "Content-Length repeated with different values.");
                result = n;
            }
        }
        return result;
    }

    private static long ParseDecimal(ReadOnlySpan<byte> s)
    {
        if (s.IsEmpty) throw new HttpParseException(400, "Empty Content-Length.");
        long n = 0;
        foreach (var b in s)
        {
            if ((uint)(b - '0') > 9) throw new HttpParseException(400, "Content-Length is not a decimal number.");
            if (n > (long.MaxValue - 9) / 10) throw new HttpParseException(400, "Content-Length overflows.");
            n = n * 10 + (b - '0');
        }
        return n;
    }

    /// <summary>
    /// Checks the Transfer-Encoding list. Returns whether chunked is last. For a request, anything but a single final
    /// chunked is refused: 400 when chunked is not last (the length cannot be known, RFC 9112 §6.3), 501 for a coding
    /// this server does not implement (§6.1).
    /// </summary>
    private static bool CheckChunkedLast(HttpHeaders headers, bool request)
    {
        int codings = 0;
        bool chunkedSeen = false, chunkedLast = false, unknown = false;
        for (int i = headers.IndexOf("Transfer-Encoding"); i >= 0; i = headers.IndexOf("Transfer-Encoding", i + 1))
        {
            var value = headers.ValueBytes(i);
            foreach (var range in value.Split((byte)','))
            {
                var coding = HttpChars.TrimOws(value[range]);
                if (coding.IsEmpty) continue;       // empty list elements are allowed (RFC 9110 §5.6.1)
                codings++;
                if (chunkedSeen && request) throw new HttpParseException(400, "Transfer-Encoding: chunked is not the final coding.");
                if (HttpChars.EqualsIgnoreCase(coding, "chunked")) chunkedSeen = chunkedLast = true;
                else
                {
                    chunkedLast = false;
                    var name = coding.IndexOf((byte)';') is var semi and >= 0 ? HttpChars.TrimOws(coding[..semi]) : coding;
                    if (!HttpChars.IsTokenSpan(name)) throw new HttpParseException(400, "Malformed Transfer-Encoding.");
                    unknown = true;
                }
            }
        }
        if (!request) return chunkedLast;
        if (codings == 0) throw new HttpParseException(400, "Empty Transfer-Encoding.");
        if (!chunkedLast) throw new HttpParseException(400, "Transfer-Encoding without chunked as the final coding.");
        if (unknown) throw new HttpParseException(501, "Transfer codings other than chunked are not implemented.");
        return true;
    }

    /// <summary>The <c>close</c> and <c>keep-alive</c> options of the Connection fields.</summary>
    public static (bool Close, bool KeepAlive) ConnectionOptions(HttpHeaders headers)
    {
        bool close = false, keepAlive = false;
        for (int i = headers.IndexOf("Connection"); i >= 0; i = headers.IndexOf("Connection", i + 1))
        {
            var value = headers.ValueBytes(i);
            foreach (var range in value.Split((byte)','))
            {
                var option = HttpChars.TrimOws(value[range]);
                if (HttpChars.EqualsIgnoreCase(option, "close")) close = true;
                else if (HttpChars.EqualsIgnoreCase(option, "keep-alive")) keepAlive = true;
            }
        }
        return (close, keepAlive);
    }
}
