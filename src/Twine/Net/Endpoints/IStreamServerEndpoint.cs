using Twine.Defer;

namespace Twine.Net.Endpoints;

/// <summary>
/// Somewhere a stream server can listen, after Twisted's <c>IStreamServerEndpoint</c>: a TCP port, a Unix socket,
/// anything a description string names. Lets a server be configured by a string instead of code.
/// </summary>
/// <example>
/// <code>
/// IStreamServerEndpoint endpoint = Endpoints.Server(reactor, "tcp:8080:interface=127.0.0.1");
/// IListeningPort port = await endpoint.Listen(Factory.ForProtocol&lt;Echo&gt;());
/// </code>
/// </example>
public interface IStreamServerEndpoint
{
    /// <summary>Starts listening with <paramref name="factory"/>; the Deferred fires with the port, or fails with why it could not listen.</summary>
    Deferred<IListeningPort> Listen(IProtocolFactory factory);
}
