namespace Twine.Web.Http;

/// <summary>
/// Parses request heads incrementally from a connection's receive buffer (RFC 9112 §2–§6, strictly), applying the
/// start-line and header-section limits. One instance per connection; <see cref="Reset"/> between requests.
/// </summary>
internal sealed class RequestHeadParser(int maxRequestLine, int maxHeaderSection, int maxFields)
{
    private readonly HeadScanner _scanner = new(maxRequestLine, maxHeaderSection, maxFields, startLineTooLongStatus: 414);

    /// <summary>True once a byte of the next head has arrived.</summary>
    public bool Started => _scanner.Started;

    public void Reset() => _scanner.Reset();

    /// <summary>
    /// Scans <paramref name="buffer"/> (which starts with the head). Returns null until the head is complete; then the
    /// head, with <paramref name="consumed"/> set to its length.
    /// </summary>
    /// <exception cref="HttpParseException">The head is malformed or over a limit.</exception>
    public RequestHead? TryParse(ReadOnlySpan<byte> buffer, out int consumed)
    {
        consumed = 0;
        if (!_scanner.Scan(buffer)) return null;
        consumed = _scanner.HeadEnd;
        var (raw, headers) = _scanner.CopyHead(buffer);
        var line = RequestLine.Parse(raw.AsSpan(0, _scanner.StartLineLength), 0);
        return Build(raw, line, headers);
    }

    private static RequestHead Build(byte[] raw, RequestLine line, HttpHeaders headers)
    {
        bool http10 = line.MinorVersion == 0;
        CheckHost(headers, http10);
        var (kind, length) = MessageFraming.ForRequest(headers, http10);
        var (close, keepAlive) = MessageFraming.ConnectionOptions(headers);
        bool expectContinue = false;
        int expect = headers.IndexOf("Expect");
        if (expect >= 0)
        {
            // Only 100-continue is defined (RFC 9110 §10.1.1); anything else, or two Expect fields, gets 417.
            if (headers.IndexOf("Expect", expect + 1) >= 0 || !HttpChars.EqualsIgnoreCase(headers.ValueBytes(expect), "100-continue"))
                throw new HttpParseException(417, "Only Expect: 100-continue is supported.");
            expectContinue = !http10 && kind != BodyKind.None;
        }
        return new RequestHead(raw, line, headers)
        {
            BodyKind = kind,
            ContentLength = length,
            KeepAlive = http10 ? keepAlive && !close : !close,
            ExpectContinue = expectContinue,
        };
    }

    /// <summary>RFC 9112 §3.2: HTTP/1.1 needs exactly one valid Host; no request may have two or an invalid one.</summary>
    private static void CheckHost(HttpHeaders headers, bool http10)
    {
        int host = headers.IndexOf("Host");
        if (host < 0)
        {
            if (!http10) throw new HttpParseException(400, "Missing Host header.");
            return;
        }
        if (headers.IndexOf("Host", host + 1) >= 0) throw new HttpParseException(400, "More than one Host header.");
        if (!HostSyntax.IsValid(headers.ValueBytes(host))) throw new HttpParseException(400, "Invalid Host header.");
    }
}
