using Twine.Defer;
using Twine.Net;
using Twine.Net.Endpoints;
using Twine.Net.Tls;

namespace Twine.Web.Client;

/// <summary>
/// An HTTP/1.1 client after Twisted's <c>twisted.web.client.Agent</c>: <see cref="IAgent.Request"/> sends one request and
/// fires with the <see cref="Response"/> once its head has arrived. The URL's scheme picks the endpoint: <c>http</c> is
/// TCP to each address the host resolves to in turn (<see cref="HostnameEndpoint"/>), <c>https</c> is TLS over it
/// (the host name is verified against the certificate). Requests go through an <see cref="HttpConnectionPool"/>: by
/// default a non-persistent one (a connection per request, as Twisted's default), or the persistent one given.
/// </summary>
/// <example>
/// <code>
/// var agent = new Agent(reactor, new HttpConnectionPool(reactor));
/// var response = await agent.Request("GET", "http://127.0.0.1:8080/", [new("Accept", "text/plain")]);
/// Console.WriteLine($"{response.Code} {response.Phrase}");
/// var body = await response.ReadBody(limit: 1 &lt;&lt; 20);
/// </code>
/// </example>
public sealed class Agent : IAgent
{
    /// <summary>The body limit of <see cref="GetPage"/> and <see cref="DownloadPage"/>: 64 MiB.</summary>
    public const long DefaultPageLimit = AgentExtensions.DefaultPageLimit;

    private readonly IReactorTcp _reactor;
    private readonly TimeSpan? _connectTimeout;
    private readonly Func<string, TlsClientOptions> _tlsOptions;

    /// <summary>Creates an agent that connects with <paramref name="reactor"/>.</summary>
    /// <param name="reactor">The reactor to connect with (host names are resolved on its thread pool).</param>
    /// <param name="connectTimeout">How long connecting to one address may take; null means the endpoint's default (30 s).</param>
    /// <param name="tlsOptions">
    /// Builds the TLS options for an https host; null means the defaults with the certificate checked against the host
    /// name.
    /// </param>
    /// <param name="pool">The connection pool; null means a non-persistent one of this agent's own.</param>
    public Agent(IReactorTcp reactor, TimeSpan? connectTimeout = null, Func<string, TlsClientOptions>? tlsOptions = null, HttpConnectionPool? pool = null)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        _reactor = reactor;
        _connectTimeout = connectTimeout;
        _tlsOptions = tlsOptions ?? (host => new TlsClientOptions { HostName = host });
        Pool = pool ?? new HttpConnectionPool();
    }

    /// <summary>Creates an agent whose requests go through <paramref name="pool"/>.</summary>
    public Agent(IReactorTcp reactor, HttpConnectionPool pool) : this(reactor, null, null, pool ?? throw new ArgumentNullException(nameof(pool))) { }

    /// <summary>The pool this agent's requests use.</summary>
    public HttpConnectionPool Pool { get; }

    /// <summary>
    /// Sends <paramref name="method"/> to <paramref name="uri"/>. The Deferred fires with the response once its head
    /// has arrived (1xx responses are skipped), or fails with the connection's error
    /// (<see cref="ConnectionRefusedException"/>, <see cref="DnsLookupException"/>...),
    /// <see cref="MalformedResponseException"/>, <see cref="ResponseHeadersTooLargeException"/>,
    /// <see cref="ResponseNeverReceivedException"/> or <see cref="RequestTransmissionFailedException"/>. Cancelling it
    /// abandons the request in whatever step it is (waiting for a connection, connecting, sending, waiting for the head).
    /// </summary>
    /// <param name="method">The method, such as GET or POST.</param>
    /// <param name="uri">An absolute http or https URL.</param>
    /// <param name="headers">Extra header fields; Host is set from the URL unless given. Content-Length,
    /// Transfer-Encoding and Connection are the client's own.</param>
    /// <param name="body">The request body: a known length is sent with Content-Length, an unknown one chunked.</param>
    /// <exception cref="ArgumentException">A bad method or header (thrown: a programming error).</exception>
    public Deferred<Response> Request(string method, string uri, IEnumerable<KeyValuePair<string, string>>? headers = null, IBodyProducer? body = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(uri);
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
            return Deferred.Fail<Response>(new ArgumentException($"Not an absolute http or https URL: '{uri}'.", nameof(uri)));
        var head = ClientRequestHead.Build(method, parsed, headers, body, Pool.Persistent);
        var request = new ClientRequest(method, parsed, head, body, Pool.Persistent);
        var origin = $"{parsed.Scheme}://{parsed.DnsSafeHost.ToLowerInvariant()}:{parsed.Port}";
        return Pool.Request(origin, () => EndpointFor(parsed), request);
    }

    /// <summary>Sends a request with a body held in memory (a <see cref="BytesBodyProducer"/>).</summary>
    public Deferred<Response> Request(string method, string uri, IEnumerable<KeyValuePair<string, string>>? headers, byte[]? body) =>
        Request(method, uri, headers, body is null ? null : new BytesBodyProducer(body));

    /// <summary>GETs <paramref name="url"/> and fires with the body (Twisted's <c>getPage</c>); see <see cref="AgentExtensions.GetPage"/>.</summary>
    public Deferred<byte[]> GetPage(string url, long limit = DefaultPageLimit) => AgentExtensions.GetPage(this, url, limit);

    /// <summary>GETs <paramref name="url"/> into a file (Twisted's <c>downloadPage</c>); see <see cref="AgentExtensions.DownloadPage"/>.</summary>
    public Deferred<long> DownloadPage(string url, string path, long limit = DefaultPageLimit) => AgentExtensions.DownloadPage(this, url, path, limit);

    private IStreamClientEndpoint EndpointFor(Uri uri)
    {
        IStreamClientEndpoint tcp = new HostnameEndpoint(_reactor, uri.DnsSafeHost, uri.Port, _connectTimeout);
        return uri.Scheme == Uri.UriSchemeHttps ? new TlsClientEndpoint(tcp, _tlsOptions(uri.DnsSafeHost)) : tcp;
    }
}
