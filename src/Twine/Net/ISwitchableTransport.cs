namespace Twine.Net;

/// <summary>
/// A transport whose protocol can be replaced while the connection stays up: what STARTTLS needs to slide a TLS layer
/// in between the socket and the protocol (Twisted does it by assigning <c>transport.protocol</c>).
/// </summary>
/// <example>
/// <code>
/// var tls = ((ITransport)Transport).StartTls(serverOptions);   // uses this role underneath
/// </code>
/// </example>
public interface ISwitchableTransport : ITransport
{
    /// <summary>The protocol the transport currently drives.</summary>
    IProtocol Protocol { get; }

    /// <summary>From the next event on, drives <paramref name="protocol"/> instead; nothing else about the connection changes.</summary>
    void SwitchProtocol(IProtocol protocol);
}
