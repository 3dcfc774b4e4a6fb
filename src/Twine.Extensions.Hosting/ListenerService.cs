using Twine.Defer;
using Twine.Net;
using Twine.Net.Endpoints;
using Twine.Reactors;

namespace Twine.Extensions.Hosting;

/// <summary>Listens on one <see cref="TwineListener"/>'s endpoint while the host runs.</summary>
internal sealed class ListenerService(TwineListener listener, Func<IProtocolFactory> factory) : ITwineService
{
    public Deferred StartAsync(Reactor reactor) =>
        // The factory is built here, on the reactor thread, so a factory that touches the reactor may do so.
        Endpoints.Server(reactor, listener.Endpoint).Listen(factory()).AddCallback(port => { listener.Port = port; });

    public Deferred StopAsync(Reactor reactor)
    {
        if (listener.Port is not { } port) return Deferred.Succeed();
        listener.Port = null;
        return port.StopListening();
    }
}
