using Twine.Defer;

namespace Twine.Web.Client;

/// <summary>
/// One request on its way through the pool: what to send, the Deferred the caller holds, and whether it may be sent
/// again on a fresh connection when a pooled one turns out to be closed.
/// </summary>
internal sealed class ClientRequest(string method, Uri uri, byte[] head, IBodyProducer? body, bool persistent)
{
    // RFC 9110 §9.2.2's idempotent methods. Twisted retries only GET, HEAD, OPTIONS, DELETE and TRACE; PUT is
    // idempotent by definition too, so it is retried here as well.
    private static readonly string[] s_idempotent = ["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"];

    public string Method { get; } = method;

    public Uri Uri { get; } = uri;

    /// <summary>The request line and header section, ready to write.</summary>
    public byte[] Head { get; } = head;

    public IBodyProducer? Body { get; } = body;

    /// <summary>Whether the head asks to keep the connection open (it says <c>Connection: close</c> otherwise).</summary>
    public bool Persistent { get; } = persistent;

    /// <summary>The caller's Deferred; set by the pool.</summary>
    public Deferred<Response> Result { get; set; } = null!;

    /// <summary>The connection attempt made for it, while one is under way (cancelled with the request).</summary>
    public Deferred<Twine.Net.IProtocol>? Connecting { get; set; }

    /// <summary>The connection carrying it, from sending until the response head (aborted if the request is cancelled).</summary>
    public HttpClientProtocol? Connection { get; set; }

    /// <summary>Whether the request was already sent again once.</summary>
    public bool Retried { get; set; }

    /// <summary>Set once the caller cancelled: nothing more may be started for it.</summary>
    public bool Cancelled { get; set; }

    /// <summary>
    /// Whether a lost pooled connection may be retried with it: an idempotent method whose body (if any) can be produced
    /// again, not retried before.
    /// </summary>
    public bool CanRetry => !Retried && !Cancelled && s_idempotent.Contains(Method) && Body is null or BytesBodyProducer;
}
