namespace Twine.Net.Tls;

/// <summary>
/// A protocol on a TLS transport that wants to know when the handshake has completed, after Twisted's
/// <c>IHandshakeListener</c>: the negotiated ALPN protocol and the peer's certificate are known from then on.
/// </summary>
/// <example>
/// <code>
/// sealed class Greeter : Protocol, ITlsHandshakeListener
/// {
///     public void HandshakeCompleted() => Transport.Write("secure hello\r\n"u8);
/// }
/// </code>
/// </example>
public interface ITlsHandshakeListener
{
    /// <summary>The handshake completed; called once, before any data is delivered.</summary>
    void HandshakeCompleted();
}
