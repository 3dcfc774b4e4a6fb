using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Twine.Net.Tls;

/// <summary>
/// The transport a protocol sees on a TLS connection: an <see cref="ITransport"/> whose bytes are encrypted, plus what
/// the handshake settled (ALPN protocol, version, the peer's certificate).
/// </summary>
/// <remarks>
/// The protocol is connected before the handshake completes, as in Twisted: what it writes meanwhile is kept and sent
/// once the handshake is done. A protocol that implements <see cref="ITlsHandshakeListener"/> hears when that is.
/// </remarks>
/// <example>
/// <code>
/// sealed class Web : Protocol, ITlsHandshakeListener
/// {
///     public void HandshakeCompleted() =>
///         Console.WriteLine(((ITlsTransport)Transport).NegotiatedApplicationProtocol ?? "no ALPN");
/// }
/// </code>
/// </example>
public interface ITlsTransport : ITransport
{
    /// <summary>True once the handshake has completed.</summary>
    bool IsHandshakeComplete { get; }

    /// <summary>The ALPN protocol both sides agreed on (for example <c>http/1.1</c>), or null if none (or before the handshake).</summary>
    string? NegotiatedApplicationProtocol { get; }

    /// <summary>The TLS version in use, or <see cref="SslProtocols.None"/> before the handshake.</summary>
    SslProtocols NegotiatedProtocol { get; }

    /// <summary>The cipher suite in use (meaningful after the handshake).</summary>
    TlsCipherSuite NegotiatedCipherSuite { get; }

    /// <summary>The host name: for a client, the one it asked for; for a server, the one the client sent through SNI (or null).</summary>
    string? ServerName { get; }

    /// <summary>The peer's certificate, if it presented one.</summary>
    X509Certificate2? PeerCertificate { get; }

    /// <summary>Plaintext written and not yet encrypted (while the handshake runs, or behind a slow write).</summary>
    long PendingPlaintext { get; }
}
