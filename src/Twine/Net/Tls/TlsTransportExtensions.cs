using Twine.Threading;

namespace Twine.Net.Tls;

/// <summary>
/// STARTTLS: turns an established plaintext connection into a TLS one, after Twisted's <c>ITLSTransport.startTLS</c>.
/// </summary>
/// <remarks>
/// <para>Everything written before the call goes out in plaintext first; from the call on, the connection's protocol
/// reads and writes through the returned TLS transport (a <see cref="Protocol"/> has its <see cref="Protocol.Transport"/>
/// switched to it). The protocol's <c>ConnectionMade</c> is not called again.</para>
/// <para>The peer must wait for the go-ahead before sending its handshake (as SMTP and IMAP require): bytes the
/// protocol has already received and buffered are not handed back to TLS.</para>
/// </remarks>
/// <example>
/// <code>
/// public override void LineReceived(string line)
/// {
///     if (line != "STARTTLS") return;
///     SendLine("GO");                        // plaintext, sent before the handshake
///     Transport.StartTls(serverOptions);     // from here on, TLS
/// }
/// </code>
/// </example>
public static class TlsTransportExtensions
{
    /// <summary>Starts TLS as the server on <paramref name="transport"/>.</summary>
    /// <exception cref="NotSupportedException">The transport cannot switch protocols (it is not an <see cref="ISwitchableTransport"/>).</exception>
    /// <exception cref="InvalidOperationException">TLS is already running on it, the connection is closing, or the call is not on the reactor thread.</exception>
    public static ITlsTransport StartTls(this ITransport transport, TlsServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Start(transport, wrapped => TlsProtocol.ForStartTls(wrapped, options, null));
    }

    /// <summary>Starts TLS as the client on <paramref name="transport"/>.</summary>
    /// <exception cref="NotSupportedException">The transport cannot switch protocols (it is not an <see cref="ISwitchableTransport"/>).</exception>
    /// <exception cref="InvalidOperationException">TLS is already running on it, the connection is closing, or the call is not on the reactor thread.</exception>
    /// <exception cref="ArgumentException">The options verify the certificate but name no host.</exception>
    public static ITlsTransport StartTls(this ITransport transport, TlsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.HostName is null && options.VerifyCertificate)
            throw new ArgumentException("TlsClientOptions.HostName must be set to verify the server's certificate (or set VerifyCertificate = false).", nameof(options));
        return Start(transport, wrapped => TlsProtocol.ForStartTls(wrapped, null, options));
    }

    private static ITlsTransport Start(ITransport transport, Func<IProtocol, TlsProtocol> create)
    {
        ArgumentNullException.ThrowIfNull(transport);
        // The thread rule (TH7): switching the connection's protocol is reactor state, like a write.
        (transport as IReactorThreadOwned)?.OwnerThread?.Check(nameof(StartTls), "this transport");
        if (transport is ITlsTransport) throw new InvalidOperationException("TLS is already running on this connection.");
        if (transport is not ISwitchableTransport switchable)
            throw new NotSupportedException($"{transport.GetType().Name} cannot start TLS: it does not implement ISwitchableTransport.");
        if (transport.Disconnecting) throw new InvalidOperationException("Cannot start TLS on a connection that is closing.");
        var current = switchable.Protocol;
        if (current is TlsProtocol) throw new InvalidOperationException("TLS is already running on this connection.");
        var tls = create(current);
        switchable.SwitchProtocol(tls);
        // Endpoint wrappers forward events; the protocol that writes is the innermost one.
        var user = current;
        while (user is IProtocolWrapper wrapper) user = wrapper.Wrapped;
        if (user is Protocol p) p.SwitchTransport(tls);
        tls.MakeConnection(transport);
        return tls;
    }
}
