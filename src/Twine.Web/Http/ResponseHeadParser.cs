namespace Twine.Web.Http;

/// <summary>
/// Parses response heads for an HTTP client, with the same scanner, field-line rules, headers and framing as the server
/// uses for requests ("one parser, two directions"); only the start line differs. Errors carry 502, the status a
/// gateway would answer with for a broken upstream response.
/// </summary>
internal sealed class ResponseHeadParser(int maxStatusLine = 8 * 1024, int maxHeaderSection = 64 * 1024, int maxFields = 200)
{
    private readonly HeadScanner _scanner = new(maxStatusLine, maxHeaderSection, maxFields, startLineTooLongStatus: 502);

    public void Reset() => _scanner.Reset();

    /// <summary>Returns null until the head in <paramref name="buffer"/> is complete, then the head and its length.</summary>
    /// <param name="buffer">The received bytes, starting with the head.</param>
    /// <param name="requestMethod">The method of the request being answered (HEAD responses have no body).</param>
    /// <param name="consumed">The head's length once complete.</param>
    /// <exception cref="HttpParseException">The head is malformed or over a limit.</exception>
    public ResponseHead? TryParse(ReadOnlySpan<byte> buffer, string requestMethod, out int consumed)
    {
        consumed = 0;
        if (!_scanner.Scan(buffer)) return null;
        consumed = _scanner.HeadEnd;
        var (raw, headers) = _scanner.CopyHead(buffer);
        var line = StatusLine.Parse(raw.AsSpan(0, _scanner.StartLineLength), 0);
        var (kind, length) = MessageFraming.ForResponse(line.Code, requestMethod, headers);
        var (close, keepAlive) = MessageFraming.ConnectionOptions(headers);
        bool persistent = line.MinorVersion == 0 ? keepAlive && !close : !close;
        return new ResponseHead(raw, line, headers)
        {
            BodyKind = kind,
            ContentLength = length,
            KeepAlive = persistent && kind != BodyKind.UntilClose,
        };
    }
}
