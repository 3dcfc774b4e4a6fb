using Twine.Defer;
using Twine.Web.Http;

namespace Twine.Web.Client;

/// <summary>
/// Asks for compressed responses and decompresses them (Twisted's <c>ContentDecoderAgent</c>): sends
/// <c>Accept-Encoding: gzip, deflate, br</c> (unless the caller set Accept-Encoding) and, when the response's
/// Content-Encoding is one of them, returns a response whose body is decoded as it streams, without Content-Encoding
/// and Content-Length. Other codings pass through untouched. A corrupt or truncated compressed body fails the body
/// with <see cref="ContentDecodingException"/>.
/// </summary>
/// <example>
/// <code>
/// var agent = new ContentDecoderAgent(new Agent(reactor));
/// var page = await agent.GetPage("http://127.0.0.1:8080/big.html");   // decoded, whatever the server chose
/// </code>
/// </example>
public sealed class ContentDecoderAgent : IAgent
{
    private readonly IAgent _agent;

    /// <summary>Wraps <paramref name="agent"/>.</summary>
    public ContentDecoderAgent(IAgent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        _agent = agent;
    }

    /// <inheritdoc />
    public Deferred<Response> Request(string method, string uri, IEnumerable<KeyValuePair<string, string>>? headers = null, IBodyProducer? body = null)
    {
        var fields = (headers ?? []).ToList();
        if (!fields.Any(f => f.Key.Equals("Accept-Encoding", StringComparison.OrdinalIgnoreCase)))
            fields.Add(new("Accept-Encoding", "gzip, deflate, br"));
        return _agent.Request(method, uri, fields, body).AddCallback(Decode);
    }

    private static Response Decode(Response response)
    {
        var coding = response.Headers.Get("Content-Encoding")?.Trim().ToLowerInvariant();
        var kind = coding switch
        {
            "gzip" or "x-gzip" => ContentCoding.Gzip,
            "deflate" => ContentCoding.Deflate,
            "br" => ContentCoding.Brotli,
            _ => (ContentCoding?)null,
        };
        // HEAD, 204 and 304 carry the coding of a body that is not there: nothing to decode.
        if (kind is not { } k || response.Headers.GetAll("Content-Encoding").Count != 1 || response.Length == 0) return response;
        var headers = HttpHeaders.FromFields(response.Headers.Where(f =>
            !f.Key.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase) &&
            !f.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)));
        return response.WithBody(headers, response.Length == 0 ? 0 : null, new DecodedBody(response.TakeBody(), k));
    }
}
