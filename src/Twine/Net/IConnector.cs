using System.Net;

namespace Twine.Net;

/// <summary>
/// One outgoing connection's attempt-and-reconnect handle, after Twisted's <c>IConnector</c>: the reactor's
/// <c>ConnectTcp</c> returns one, and <see cref="ClientFactory"/> hooks receive it.
/// </summary>
/// <example>
/// <code>
/// public override void ClientConnectionLost(IConnector connector, Failure reason) =>
///     connector.Connect();       // reconnect at once to connector.Destination
/// </code>
/// </example>
public interface IConnector
{
    /// <summary>Starts (or restarts) the connection attempt.</summary>
    /// <exception cref="InvalidOperationException">The connector is already connecting or connected.</exception>
    void Connect();

    /// <summary>Stops the attempt in progress; the factory's <see cref="ClientFactory.ClientConnectionFailed"/> is called.</summary>
    /// <exception cref="NotConnectingException">No attempt is in progress.</exception>
    /// <exception cref="InvalidOperationException">Called off the reactor thread (TH7): use the reactor's <c>CallFromThread</c>.</exception>
    void StopConnecting();

    /// <summary>Stops the attempt if connecting, or closes the connection if connected.</summary>
    void Disconnect();

    /// <summary>Where this connector connects to.</summary>
    EndPoint Destination { get; }
}
