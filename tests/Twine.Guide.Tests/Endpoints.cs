using Twine.Defer;
using Twine.Net;
using Twine.Net.Endpoints;
using Twine.Testing;

namespace Twine.Guide.Tests;

/// <summary>docs/guide/endpoints.md: where to listen and connect, as strings or as types.</summary>
public sealed class EndpointsGuide
{
    // The address comes from configuration or the command line as a string; the code does not change with it.
    public static Deferred<IListeningPort> Serve(IReactorStreamSockets reactor, string description) =>
        Endpoints.Server(reactor, description).Listen(new StoreFactory());

    // The same server endpoint built from its type, when the address is known in code.
    public static Deferred<IListeningPort> ServeOnLoopback(IReactorTcp reactor, int port) =>
        new Tcp4ServerEndpoint(reactor, port, interfaceAddress: "127.0.0.1").Listen(new StoreFactory());

    public static Deferred<LineCollector> Connect(IReactorStreamSockets reactor, string description) =>
        Endpoints.ConnectProtocol(Endpoints.Client(reactor, description), new LineCollector());

    [Fact]
    public void AServerStringNamesPortAndInterface()
    {
        var reactor = new MemoryReactor();
        _ = Serve(reactor, "tcp:8080:interface=127.0.0.1");
        var (port, _, _, iface) = reactor.TcpServers[0];
        Assert.Equal(8080, port);
        Assert.Equal("127.0.0.1", iface);
    }

    [Fact]
    public void TheTypedEndpointListensTheSameWay()
    {
        var reactor = new MemoryReactor();
        _ = ServeOnLoopback(reactor, 8080);
        Assert.Equal((8080, "127.0.0.1"), (reactor.TcpServers[0].Port, reactor.TcpServers[0].Interface));
    }

    [Fact]
    public void AUnixServerString()
    {
        var reactor = new MemoryReactor();
        _ = Serve(reactor, "unix:/tmp/store.sock");
        Assert.Equal("/tmp/store.sock", reactor.UnixServers[0].Path);
    }

    [Fact]
    public void AClientStringNamesHostAndPort()
    {
        var reactor = new MemoryReactor();
        _ = Connect(reactor, "tcp:host=127.0.0.1:port=8080:timeout=5");
        var (host, port, _, timeout, _) = reactor.TcpClients[0];
        Assert.Equal(("127.0.0.1", 8080, TimeSpan.FromSeconds(5)), (host, port, timeout));
    }

    [Fact]
    public void AMistakeInTheStringIsAClearError()
    {
        var reactor = new MemoryReactor();
        var e = Assert.ThrowsAny<ArgumentException>(() => Serve(reactor, "tcp:eighty"));
        Assert.Contains("eighty", e.Message);
    }
}
