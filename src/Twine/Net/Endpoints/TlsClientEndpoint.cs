using Twine.Defer;

using Twine.Net.Tls;

namespace Twine.Net.Endpoints;

/// <summary>
/// A client endpoint that speaks TLS over any other client endpoint (Twisted's <c>wrapClientTLS</c>): what the
/// <c>tls:</c> endpoint string builds. The Deferred fires with the user's protocol once it is connected (before the
/// handshake completes, as in Twisted; a failed handshake reaches the protocol's <c>ConnectionLost</c> as a
/// <see cref="TlsException"/>).
/// </summary>
/// <example>
/// <code>
/// var options = new TlsClientOptions { HostName = "example.org" };
/// var endpoint = new TlsClientEndpoint(new Tcp4ClientEndpoint(reactor, "example.org", 443), options);
/// var protocol = await endpoint.Connect(Factory.ForProtocol&lt;Greeter&gt;());
/// </code>
/// </example>
public sealed class TlsClientEndpoint : IStreamClientEndpoint
{
    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <exception cref="ArgumentException">The options verify the certificate but name no host.</exception>
    public TlsClientEndpoint(IStreamClientEndpoint inner, TlsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        if (options.HostName is null && options.VerifyCertificate)
            throw new ArgumentException("TlsClientOptions.HostName must be set to verify the server's certificate (or set VerifyCertificate = false).", nameof(options));
        Inner = inner;
        Options = options;
    }

    /// <summary>The endpoint that carries the ciphertext.</summary>
    public IStreamClientEndpoint Inner { get; }

    /// <summary>The client's TLS options.</summary>
    public TlsClientOptions Options { get; }

    /// <inheritdoc />
    public Deferred<IProtocol> Connect(IProtocolFactory factory) =>
        Inner.Connect(TlsFactory.ForClient(Options, factory)).AddCallback(p => p is TlsProtocol tls ? tls.Wrapped : p);
}
