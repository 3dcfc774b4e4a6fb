using Twine.Defer;
using Twine.Web.Http;

namespace Twine.Web.Client;

/// <summary>
/// An HTTP response as the client received it (Twisted's <c>IResponse</c>): status, headers, and the body, streamed
/// with <see cref="DeliverBody"/> or gathered with <see cref="ReadBody"/>. The Deferred of <see cref="IAgent.Request"/>
/// fires as soon as the head has arrived; the connection stops reading (it is paused) until the body is asked for,
/// so a response nobody reads does not fill memory — but it keeps its connection busy until it is read.
/// </summary>
/// <example>
/// <code>
/// agent.Request("GET", "http://127.0.0.1:8080/").AddCallback(response =>
/// {
///     Console.WriteLine($"{response.Code} {response.Phrase}, {response.Headers.Get("Content-Type")}");
///     return response.ReadBody(limit: 1 &lt;&lt; 20);
/// });
/// </code>
/// </example>
public sealed class Response
{
    private readonly IResponseBody _body;
    private bool _taken;

    internal Response(Version version, int code, string phrase, HttpHeaders headers, long? length, Uri requestUri, IResponseBody body)
    {
        Version = version;
        Code = code;
        Phrase = phrase;
        Headers = headers;
        Length = length;
        RequestUri = requestUri;
        _body = body;
    }

    /// <summary>The HTTP version of the response: 1.0 or 1.1.</summary>
    public Version Version { get; }

    /// <summary>The status code (200, 404...).</summary>
    public int Code { get; }

    /// <summary>The reason phrase, possibly empty.</summary>
    public string Phrase { get; }

    /// <summary>The response's header fields.</summary>
    public HttpHeaders Headers { get; }

    /// <summary>The body's length when it is known from the head (0 for HEAD, 204 and 304), or null.</summary>
    public long? Length { get; }

    /// <summary>The URL this response answers (after redirects, the last one).</summary>
    public Uri RequestUri { get; }

    /// <summary>The redirect response that led here, when <see cref="RedirectAgent"/> followed one; else null.</summary>
    public Response? PreviousResponse { get; internal set; }

    /// <summary>
    /// Streams the body into <paramref name="protocol"/> (Twisted's <c>deliverBody</c>): bytes as they arrive, with the
    /// connection paused whenever the protocol pauses its producer. Can be called once (or <see cref="ReadBody"/> once).
    /// </summary>
    /// <exception cref="InvalidOperationException">The body was already delivered or read.</exception>
    public void DeliverBody(IResponseBodyProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        Take();
        _body.Deliver(protocol);
    }

    /// <summary>
    /// Reads the whole body (Twisted's <c>readBody</c>, built on <see cref="DeliverBody"/>). The Deferred fires with
    /// its bytes, or fails with <see cref="BodyTooLargeException"/> once more than <paramref name="limit"/> bytes arrive
    /// (or Content-Length announces more), with <see cref="PartialBodyException"/> (holding what arrived) when the
    /// connection closes early, or with <see cref="MalformedResponseException"/> for a broken chunked body. Cancelling
    /// it drops the connection. Can be called once.
    /// </summary>
    /// <exception cref="InvalidOperationException">The body was already read.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is negative.</exception>
    public Deferred<byte[]> ReadBody(long limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        Take();
        BodyCollector? collector = null;
        // Cancelling the read drops the connection: the rest of the body would have nowhere to go.
        var result = new Deferred<byte[]>(_ => collector?.Stop());
        collector = new BodyCollector(limit, Length, result);
        _body.Deliver(collector);
        return result;
    }

    /// <summary>A response with the same status and URL whose body comes from <paramref name="body"/> (a decoder).</summary>
    internal Response WithBody(HttpHeaders headers, long? length, IResponseBody body) =>
        new(Version, Code, Phrase, headers, length, RequestUri, body) { PreviousResponse = PreviousResponse };

    /// <summary>Takes the body for a decoder, which delivers it later.</summary>
    internal IResponseBody TakeBody()
    {
        Take();
        return _body;
    }

    private void Take()
    {
        if (_taken) throw new InvalidOperationException("The response body has already been read.");
        _taken = true;
    }
}
