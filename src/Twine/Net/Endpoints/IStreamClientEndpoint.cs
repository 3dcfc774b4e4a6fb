using Twine.Defer;

namespace Twine.Net.Endpoints;

/// <summary>
/// Somewhere a stream client can connect to, after Twisted's <c>IStreamClientEndpoint</c>. The Deferred fires with the
/// connected protocol once its <c>ConnectionMade</c> has run; cancelling it abandons the attempt
/// (<see cref="ConnectingCancelledException"/>).
/// </summary>
/// <example>
/// <code>
/// IStreamClientEndpoint endpoint = Endpoints.Client(reactor, "tcp:host=example.org:port=80");
/// IProtocol protocol = await endpoint.Connect(Factory.ForProtocol&lt;Greeter&gt;());
/// </code>
/// </example>
public interface IStreamClientEndpoint
{
    /// <summary>Connects, building the protocol with <paramref name="factory"/>.</summary>
    Deferred<IProtocol> Connect(IProtocolFactory factory);
}
