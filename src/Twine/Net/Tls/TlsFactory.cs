using System.Net;

namespace Twine.Net.Tls;

/// <summary>
/// Wraps a protocol factory so every connection it builds speaks TLS (Twisted's <c>TLSMemoryBIOFactory</c>): each
/// protocol is wrapped in a <see cref="TlsProtocol"/>. Starting and stopping pass through to the wrapped factory.
/// </summary>
/// <example>
/// <code>
/// var options = TlsServerOptions.FromPemFiles("cert.pem", "key.pem");
/// reactor.ListenTcp(8443, TlsFactory.ForServer(options, Factory.ForProtocol&lt;Echo&gt;()));
/// </code>
/// </example>
public sealed class TlsFactory : IProtocolFactory
{
    private readonly IProtocolFactory _wrapped;
    private readonly TlsServerOptions? _server;
    private readonly TlsClientOptions? _client;

    private TlsFactory(IProtocolFactory wrapped, TlsServerOptions? server, TlsClientOptions? client)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        _wrapped = wrapped;
        _server = server;
        _client = client;
    }

    /// <summary>Server side: each connection presents <paramref name="options"/>' certificate.</summary>
    public static TlsFactory ForServer(TlsServerOptions options, IProtocolFactory wrapped)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new TlsFactory(wrapped, options, null);
    }

    /// <summary>Client side: each connection checks the server as <paramref name="options"/> say.</summary>
    /// <exception cref="ArgumentException">The options verify the certificate but name no host.</exception>
    public static TlsFactory ForClient(TlsClientOptions options, IProtocolFactory wrapped)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.HostName is null && options.VerifyCertificate)
            throw new ArgumentException("TlsClientOptions.HostName must be set to verify the server's certificate (or set VerifyCertificate = false).", nameof(options));
        return new TlsFactory(wrapped, null, options);
    }

    /// <summary>The factory whose protocols are wrapped.</summary>
    public IProtocolFactory Wrapped => _wrapped;

    /// <summary>The wrapped factory's protocol inside a <see cref="TlsProtocol"/>, or null when it refuses the connection.</summary>
    public IProtocol? BuildProtocol(EndPoint address)
    {
        var protocol = _wrapped.BuildProtocol(address);
        if (protocol is null) return null;
        return _client is not null ? TlsProtocol.ForClient(protocol, _client) : TlsProtocol.ForServer(protocol, _server!);
    }

    /// <inheritdoc />
    public void DoStart() => _wrapped.DoStart();

    /// <inheritdoc />
    public void DoStop() => _wrapped.DoStop();

    /// <summary>The factory, for log messages.</summary>
    public override string ToString() => $"<TlsFactory {(_client is null ? "server" : "client")} for {_wrapped}>";
}
