namespace Twine.Web.Http;

/// <summary>
/// A complete, validated request head: the bytes it arrived as (owned, copied once out of the receive buffer), its
/// request line and fields, and what the server needs to act on it (framing, persistence, 100-continue).
/// </summary>
internal sealed class RequestHead(byte[] raw, RequestLine line, HttpHeaders headers)
{
    public byte[] Raw { get; } = raw;

    public RequestLine Line { get; } = line;

    public HttpHeaders Headers { get; } = headers;

    public BodyKind BodyKind { get; init; }

    /// <summary>The Content-Length for <see cref="BodyKind.Length"/>; -1 for chunked.</summary>
    public long ContentLength { get; init; }

    /// <summary>Whether the connection may carry another request after this one's response.</summary>
    public bool KeepAlive { get; init; }

    /// <summary>The client sent <c>Expect: 100-continue</c> and waits for an interim response before the body.</summary>
    public bool ExpectContinue { get; init; }

    public bool IsHttp10 => Line.MinorVersion == 0;
}
