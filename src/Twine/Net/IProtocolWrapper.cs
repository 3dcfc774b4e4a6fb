namespace Twine.Net;

/// <summary>
/// A protocol that stands between a transport and the user's protocol (an endpoint's connection notifier, a TLS
/// layer). Transports look through it to name the user's protocol in logs.
/// </summary>
internal interface IProtocolWrapper
{
    /// <summary>The protocol this one passes events to.</summary>
    IProtocol Wrapped { get; }
}
