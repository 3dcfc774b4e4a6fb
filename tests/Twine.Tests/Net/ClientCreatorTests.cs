using System.Net;
using Twine.Defer;
using Twine.Net;
using Twine.Testing;

namespace Twine.Tests.Net;

public sealed class ClientCreatorTests
{
    private sealed class P : Protocol
    {
        public bool Made;
        public override void ConnectionMade() => Made = true;
    }

    private static readonly EndPoint Peer = new IPEndPoint(IPAddress.Loopback, 1234);

    [Fact]
    public void PF5_ConnectTcpPassesTheArgumentsThrough()
    {
        var reactor = new MemoryReactorClock();
        var bind = new IPEndPoint(IPAddress.Loopback, 0);
        var creator = new ClientCreator<P>(reactor, () => new P());
        creator.ConnectTcp("example.org", 1234, TimeSpan.FromSeconds(7), bind);
        var (host, port, factory, timeout, bindAddress) = Assert.Single(reactor.TcpClients);
        Assert.Equal("example.org", host);
        Assert.Equal(1234, port);
        Assert.Equal(TimeSpan.FromSeconds(7), timeout);
        Assert.Same(bind, bindAddress);
        Assert.False(factory.Noisy);
    }

    [Fact]
    public void PF5_ConnectUnixPassesTheArgumentsThrough()
    {
        var reactor = new MemoryReactorClock();
        var creator = new ClientCreator<P>(reactor, () => new P());
        creator.ConnectUnix("/tmp/x.sock", TimeSpan.FromSeconds(3), checkPid: true);
        var (path, _, timeout, checkPid) = Assert.Single(reactor.UnixClients);
        Assert.Equal("/tmp/x.sock", path);
        Assert.Equal(TimeSpan.FromSeconds(3), timeout);
        Assert.True(checkPid);
    }

    [Fact]
    public void PF5_TheProtocolIsBuiltUpFrontAndDeliveredFromAZeroDelayCall()
    {
        var reactor = new MemoryReactorClock();
        var built = new List<P>();
        var creator = new ClientCreator<P>(reactor, () => { var p = new P(); built.Add(p); return p; });
        var d = creator.ConnectTcp("example.org", 80);
        var instance = Assert.Single(built);

        var factory = reactor.TcpClients[0].Factory;
        var p = factory.BuildProtocol(Peer)!;
        Assert.Same(instance, p);
        p.MakeConnection(new MemoryTransport());
        Assert.False(d.Called);

        reactor.Advance(TimeSpan.Zero);
        Assert.True(d.Called);
        Assert.Same(instance, d.Result.Value);
        Assert.True(instance.Made);
    }

    [Fact]
    public void PF5_FailureIsDeliveredFromAZeroDelayCall()
    {
        var reactor = new MemoryReactorClock();
        var d = new ClientCreator<P>(reactor, () => new P()).ConnectTcp("example.org", 80);
        var connector = reactor.Connectors[0];
        reactor.TcpClients[0].Factory.ClientConnectionFailed(connector, new Failure(new ConnectException("refused")));
        Assert.False(d.Called);
        reactor.Advance(TimeSpan.Zero);
        Assert.True(d.Result.Failure!.Check<ConnectException>());
    }

    [Fact]
    public void PF5_CancelDisconnectsTheConnectorAndFailsWithCancelled()
    {
        var reactor = new MemoryReactorClock();
        var d = new ClientCreator<P>(reactor, () => new P()).ConnectTcp("example.org", 80);
        d.Cancel();
        Assert.True(reactor.Connectors[0].Disconnected);
        Assert.True(d.Result.Failure!.Check<CancelledException>());
    }

    [Fact]
    public void PF5_CancelAfterConnectingButBeforeDeliveryCancelsThePendingCall()
    {
        var reactor = new MemoryReactorClock();
        var d = new ClientCreator<P>(reactor, () => new P()).ConnectTcp("example.org", 80);
        reactor.TcpClients[0].Factory.BuildProtocol(Peer)!.MakeConnection(new MemoryTransport());
        Assert.Single(reactor.GetDelayedCalls());
        d.Cancel();
        Assert.Empty(reactor.GetDelayedCalls());
        Assert.True(reactor.Connectors[0].Disconnected);
        Assert.True(d.Result.Failure!.Check<CancelledException>());
        reactor.Advance(TimeSpan.Zero);
    }

    [Fact]
    public void PF5_CancelAfterFailureButBeforeDeliveryFailsWithCancelled()
    {
        var reactor = new MemoryReactorClock();
        var d = new ClientCreator<P>(reactor, () => new P()).ConnectTcp("example.org", 80);
        reactor.TcpClients[0].Factory.ClientConnectionFailed(reactor.Connectors[0], new Failure(new ConnectException("refused")));
        d.Cancel();
        Assert.Empty(reactor.GetDelayedCalls());
        Assert.True(d.Result.Failure!.Check<CancelledException>());
    }

    [Fact]
    public void PF5_AReactorWithoutTcpIsRefused()
    {
        var creator = new ClientCreator<P>(new Twine.Time.Clock(), () => new P());
        Assert.Throws<NotSupportedException>(() => creator.ConnectTcp("example.org", 80));
        Assert.Throws<NotSupportedException>(() => creator.ConnectUnix("/x"));
    }
}
