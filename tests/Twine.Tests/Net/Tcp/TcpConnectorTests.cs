using System.Net;
using Twine.Defer;
using Twine.Net;
using Twine.Reactors;
using static Twine.Tests.Net.Tcp.NetTesting;

namespace Twine.Tests.Net.Tcp;

/// <summary>ConnectTcp's connector on real sockets: name resolution, stopping, reconnecting from hooks (PF4), ClientCreator (PF5).</summary>
public sealed class TcpConnectorTests
{
    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void AHostNameIsResolvedOffTheReactorThread(NetSetup backend)
    {
        using var reactor = Create(backend);
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => new RecordingProtocol()));
        var client = new RecordingProtocol { OnMade = _ => reactor.Stop() };
        var connector = reactor.ConnectTcp("localhost", number, Client(client));
        Assert.Equal(new DnsEndPoint("localhost", number), connector.Destination);
        Run(reactor);
        Assert.True(client.Made);
        Assert.Equal(IPAddress.Loopback, ((IPEndPoint)client.Transport.Peer).Address);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void AnUnknownHostFailsWithDnsLookupException(NetSetup backend)
    {
        using var reactor = Create(backend);
        var factory = Client(new RecordingProtocol());
        factory.OnFailed = (_, _) => reactor.Stop();
        reactor.ConnectTcp("no-such-host.invalid", 80, factory);
        Run(reactor);
        var e = Assert.IsType<DnsLookupException>(factory.Failed!.Value);
        Assert.Equal("no-such-host.invalid", e.Host);
        Assert.Equal(1, factory.Started);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void StopConnectingAbandonsTheAttempt(NetSetup backend)
    {
        using var reactor = Create(backend);
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => new RecordingProtocol()));
        var client = new RecordingProtocol();
        var factory = Client(client);
        var connector = reactor.ConnectTcp("127.0.0.1", number, factory);
        connector.StopConnecting();
        Assert.Throws<NotConnectingException>(connector.StopConnecting);
        reactor.CallLater(TimeSpan.FromMilliseconds(50), reactor.Stop);
        Run(reactor);
        Assert.NotNull(factory.Failed!.Check(typeof(StoppedConnectingException)));
        Assert.False(client.Made);
        Assert.Equal(0, factory.NumPorts);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void PF4_AHookThatReconnectsKeepsTheFactoryStarted(NetSetup backend)
    {
        using var reactor = Create(backend);
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => new RecordingProtocol { OnMade = p => p.Transport.LoseConnection() }));
        int connections = 0;
        var numPortsInHook = new List<int>();
        var factory = new ReconnectOnce(() => new RecordingProtocol { OnMade = _ => connections++ });
        factory.Lost = (connector, f) =>
        {
            numPortsInHook.Add(f.NumPorts);
            if (connections == 1) connector.Connect();
            else reactor.Stop();
        };
        reactor.ConnectTcp("127.0.0.1", number, factory);
        Run(reactor);
        Assert.Equal(2, connections);
        Assert.Equal([1, 1], numPortsInHook);
        Assert.Equal(0, factory.NumPorts);   // stopped once, after the last loss
        Assert.Equal(1, factory.Stops);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void AClientFactoryReturningNullHearsOfALostConnection(NetSetup backend)
    {
        using var reactor = Create(backend);
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => new RecordingProtocol()));
        var factory = new ReconnectOnce(() => null!) { Lost = (_, _) => reactor.Stop() };
        reactor.ConnectTcp("127.0.0.1", number, factory);
        Run(reactor);
        Assert.NotNull(factory.LostReason);
        Assert.Equal(0, factory.NumPorts);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void PF5_ClientCreatorDeliversTheConnectedProtocol(NetSetup backend)
    {
        using var reactor = Create(backend);
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => new EchoProtocol()));
        RecordingProtocol? delivered = null;
        bool madeBeforeDelivery = false;
        var creator = new ClientCreator<RecordingProtocol>(reactor, () => new RecordingProtocol());
        creator.ConnectTcp("127.0.0.1", number).AddCallback(p =>
        {
            delivered = p;
            madeBeforeDelivery = p.Made;
            reactor.Stop();
        });
        Run(reactor);
        Assert.NotNull(delivered);
        Assert.True(madeBeforeDelivery);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void PF5_ClientCreatorFailsWithTheConnectErrorAndCanBeCancelled(NetSetup backend)
    {
        using var reactor = Create(backend);
        var (port, number) = ListenLocal(reactor, Factory.ForProtocol(() => new RecordingProtocol()));
        port.StopListening();
        var creator = new ClientCreator<RecordingProtocol>(reactor, () => new RecordingProtocol());
        Failure? refused = null, cancelled = null;
        creator.ConnectTcp("127.0.0.1", number).AddErrback(f =>
        {
            refused = f;
            reactor.Stop();
        });
        var pending = creator.ConnectTcp("127.0.0.1", number);
        pending.AddErrback(f => cancelled = f);
        pending.Cancel();
        Run(reactor);
        Assert.NotNull(refused!.Check(typeof(ConnectionRefusedException)));
        Assert.NotNull(cancelled!.Check(typeof(CancelledException)));
    }

    private sealed class ReconnectOnce(Func<IProtocol> build) : ClientFactory(build)
    {
        public Action<IConnector, ReconnectOnce>? Lost { get; set; }
        public Failure? LostReason { get; private set; }
        public int Stops { get; private set; }

        public override void ClientConnectionLost(IConnector connector, Failure reason)
        {
            LostReason = reason;
            Lost?.Invoke(connector, this);
        }

        protected override void StopFactory() => Stops++;
    }
}
