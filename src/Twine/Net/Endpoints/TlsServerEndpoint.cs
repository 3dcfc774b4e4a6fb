using Twine.Defer;

using Twine.Net.Tls;

namespace Twine.Net.Endpoints;

/// <summary>
/// A server endpoint whose connections speak TLS, over any other server endpoint (TCP, Unix): what the <c>ssl:</c>
/// endpoint string builds.
/// </summary>
/// <example>
/// <code>
/// var tls = new TlsServerEndpoint(new Tcp4ServerEndpoint(reactor, 8443), TlsServerOptions.FromPemFiles("cert.pem", "key.pem"));
/// IListeningPort port = await tls.Listen(Factory.ForProtocol&lt;Echo&gt;());
/// // or: Endpoints.Server(reactor, "ssl:8443:privateKey=key.pem:certKey=cert.pem")
/// </code>
/// </example>
public sealed class TlsServerEndpoint : IStreamServerEndpoint
{
    /// <summary>Wraps <paramref name="inner"/>; every accepted connection is a TLS server with <paramref name="options"/>.</summary>
    public TlsServerEndpoint(IStreamServerEndpoint inner, TlsServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        Inner = inner;
        Options = options;
    }

    /// <summary>The endpoint that carries the ciphertext.</summary>
    public IStreamServerEndpoint Inner { get; }

    /// <summary>The server's TLS options.</summary>
    public TlsServerOptions Options { get; }

    /// <inheritdoc />
    public Deferred<IListeningPort> Listen(IProtocolFactory factory) => Inner.Listen(TlsFactory.ForServer(Options, factory));
}
