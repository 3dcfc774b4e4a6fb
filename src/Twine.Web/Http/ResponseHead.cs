namespace Twine.Web.Http;

/// <summary>A complete response head as a client reads it: status, fields, and how the body is framed.</summary>
internal sealed class ResponseHead(byte[] raw, StatusLine line, HttpHeaders headers)
{
    public byte[] Raw { get; } = raw;

    public StatusLine Line { get; } = line;

    public HttpHeaders Headers { get; } = headers;

    public int Code => Line.Code;

    public BodyKind BodyKind { get; init; }

    public long ContentLength { get; init; }

    /// <summary>Whether the connection may carry another request after this response's body.</summary>
    public bool KeepAlive { get; init; }
}
