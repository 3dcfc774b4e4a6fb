using System.Net;

namespace Twine.Net;

/// <summary>
/// Builds one protocol per connection, after Twisted's <c>IProtocolFactory</c>. Listening ports and connectors call
/// <see cref="DoStart"/> when they start using the factory and <see cref="DoStop"/> when they stop.
/// </summary>
/// <example>
/// <code>
/// IProtocolFactory factory = Factory.ForProtocol&lt;Echo&gt;();
/// factory.DoStart();
/// IProtocol? p = factory.BuildProtocol(new IPEndPoint(IPAddress.Loopback, 40000));
/// if (p is null) { /* refused: close the connection */ }
/// </code>
/// </example>
public interface IProtocolFactory
{
    /// <summary>
    /// Creates the protocol for a new connection with the peer at <paramref name="address"/>, or returns null to refuse
    /// the connection (it is closed at once).
    /// </summary>
    IProtocol? BuildProtocol(EndPoint address);

    /// <summary>A port or connector starts using this factory.</summary>
    void DoStart();

    /// <summary>A port or connector stops using this factory.</summary>
    void DoStop();
}
