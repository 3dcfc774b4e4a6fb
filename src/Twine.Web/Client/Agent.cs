using Twine.Defer;
using Twine.Net;
using Twine.Net.Endpoints;
using Twine.Net.Tls;

namespace Twine.Web.Client;

/// <summary>
/// An HTTP/1.1 client after Twisted's <c>twisted.web.client.Agent</c>: <see cref="Request"/> sends one request and
/// fires with the <see cref="Response"/> once its head has arrived. The URL's scheme picks the endpoint: <c>http</c> is
/// a TCP connection, <c>https</c> is TLS over it (the host name is verified against the certificate). Each request
/// uses its own connection, closed when the response is done (there is no connection pool yet).
/// </summary>
/// <example>
/// <code>
/// var agent = new Agent(reactor);
/// agent.GetPage("http://127.0.0.1:8080/").AddCallbacks(
///     page => Console.WriteLine(Encoding.UTF8.GetString(page)),
///     failure => Console.WriteLine("failed: " + failure.GetErrorMessage()));
/// </code>
/// </example>
public sealed class Agent
{
    /// <summary>The body limit of <see cref="GetPage"/> and <see cref="DownloadPage"/>: 64 MiB.</summary>
    public const long DefaultPageLimit = 64L << 20;

    private readonly IReactorTcp _reactor;
    private readonly Func<Uri, IStreamClientEndpoint> _endpointFor;

    /// <summary>Creates an agent that connects with <paramref name="reactor"/>.</summary>
    /// <param name="reactor">The reactor to connect with.</param>
    /// <param name="connectTimeout">How long connecting may take; null means the endpoint's default (30 s).</param>
    /// <param name="tlsOptions">
    /// Builds the TLS options for an https host; null means the defaults with the certificate checked against the host
    /// name.
    /// </param>
    public Agent(IReactorTcp reactor, TimeSpan? connectTimeout = null, Func<string, TlsClientOptions>? tlsOptions = null)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        _reactor = reactor;
        var tls = tlsOptions ?? (host => new TlsClientOptions { HostName = host });
        _endpointFor = uri =>
        {
            IStreamClientEndpoint tcp = new Tcp4ClientEndpoint(_reactor, uri.DnsSafeHost, uri.Port, connectTimeout);
            return uri.Scheme == Uri.UriSchemeHttps ? new TlsClientEndpoint(tcp, tls(uri.DnsSafeHost)) : tcp;
        };
    }

    /// <summary>
    /// Sends <paramref name="method"/> to <paramref name="uri"/>. The Deferred fires with the response once its head
    /// has arrived (1xx responses are skipped), or fails with the connection's error
    /// (<see cref="ConnectionRefusedException"/>...), <see cref="MalformedResponseException"/> or
    /// <see cref="ResponseNeverReceivedException"/>. Cancelling it abandons the connection.
    /// </summary>
    /// <param name="method">The method, such as GET or POST.</param>
    /// <param name="uri">An absolute http or https URL.</param>
    /// <param name="headers">Extra header fields; Host is set from the URL unless given. Content-Length,
    /// Transfer-Encoding and Connection are the client's own.</param>
    /// <param name="body">The request body, sent with a Content-Length; null for none.</param>
    /// <exception cref="ArgumentException">A bad method or header (thrown: a programming error).</exception>
    public Deferred<Response> Request(string method, string uri, IEnumerable<KeyValuePair<string, string>>? headers = null, byte[]? body = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(uri);
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
            return Deferred.Fail<Response>(new ArgumentException($"Not an absolute http or https URL: '{uri}'.", nameof(uri)));
        var request = ClientRequestHead.Build(method, parsed, headers, body);

        Deferred<IProtocol>? connecting = null;
        HttpClientProtocol? protocol = null;
        var result = new Deferred<Response>(_ =>
        {
            connecting?.Cancel();
            protocol?.Abort();
        });
        protocol = new HttpClientProtocol(request, method, result);
        // Quiet: a client makes a connection per request, and "Starting factory" for each would drown the log.
        var factory = Factory.ForProtocol(() => protocol);
        factory.Noisy = false;
        connecting = _endpointFor(parsed).Connect(factory);
        connecting.AddErrback(failure =>
        {
            if (!result.Called) result.Errback(failure);
        });
        return result;
    }

    /// <summary>
    /// GETs <paramref name="url"/> and fires with the body (Twisted's <c>getPage</c>). A 4xx or 5xx status fails with
    /// <see cref="HttpErrorStatusException"/>, which holds the error page; redirects are not followed.
    /// </summary>
    /// <param name="url">An absolute http or https URL.</param>
    /// <param name="limit">The largest body accepted (<see cref="BodyTooLargeException"/> beyond it).</param>
    public Deferred<byte[]> GetPage(string url, long limit = DefaultPageLimit) =>
        Request("GET", url).AddCallback(response => response.ReadBody(limit).AddCallback(body =>
            response.Code >= 400 ? throw new HttpErrorStatusException(response.Code, response.Phrase, body) : body));

    /// <summary>
    /// GETs <paramref name="url"/> into the file <paramref name="path"/> (Twisted's <c>downloadPage</c>) and fires with the
    /// number of bytes written. The body is held in memory up to <paramref name="limit"/> and written once complete,
    /// so a failed download leaves no partial file.
    /// </summary>
    public Deferred<long> DownloadPage(string url, string path, long limit = DefaultPageLimit)
    {
        ArgumentNullException.ThrowIfNull(path);
        return GetPage(url, limit).AddCallback(body =>
        {
            File.WriteAllBytes(path, body);
            return (long)body.Length;
        });
    }
}
