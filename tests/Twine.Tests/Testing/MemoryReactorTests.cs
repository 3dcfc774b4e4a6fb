using System.Net;
using System.Net.Sockets;
using Twine.Defer;
using Twine.Net;
using Twine.Reactors;
using Twine.Testing;

namespace Twine.Tests.Testing;

public sealed class MemoryReactorTests
{
    private sealed class P : Protocol { }

    private sealed class Recording : ClientFactory
    {
        public readonly List<IConnector> Started = new();
        public Recording() : base(() => new P()) { }
        public override void StartedConnecting(IConnector connector) => Started.Add(connector);
    }

    private sealed class Udp : DatagramProtocol
    {
        public override void DatagramReceived(ReadOnlySpan<byte> data, EndPoint address) { }
    }

    [Fact]
    public void MR1_ConnectTcpRecordsTheCallAndReportsStartedConnecting()
    {
        var reactor = new MemoryReactor();
        var factory = new Recording();
        var bind = new IPEndPoint(IPAddress.Loopback, 0);
        var connector = reactor.ConnectTcp("1.2.3.4", 1234, factory, TimeSpan.FromSeconds(5), bind);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("1.2.3.4"), 1234), connector.Destination);
        Assert.Equal([connector], factory.Started);
        Assert.Same(connector, Assert.Single(reactor.Connectors));
        var (host, port, f, timeout, bindAddress) = Assert.Single(reactor.TcpClients);
        Assert.Equal(("1.2.3.4", 1234), (host, port));
        Assert.Same(factory, f);
        Assert.Equal(TimeSpan.FromSeconds(5), timeout);
        Assert.Same(bind, bindAddress);
    }

    [Fact]
    public void MR1_ConnectDestinationForNamesIPv6AndUnix()
    {
        var reactor = new MemoryReactor();
        var factory = new Recording();
        Assert.Equal(new DnsEndPoint("example.org", 80), reactor.ConnectTcp("example.org", 80, factory).Destination);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 80), reactor.ConnectTcp("::1", 80, factory).Destination);
        Assert.Equal(TimeSpan.FromSeconds(30), reactor.TcpClients[0].Timeout);

        var unix = reactor.ConnectUnix("/tmp/socket", factory);
        Assert.Equal(new UnixDomainSocketEndPoint("/tmp/socket").ToString(), unix.Destination.ToString());
        Assert.Equal("/tmp/socket", Assert.Single(reactor.UnixClients).Path);
        Assert.Equal(3, reactor.Connectors.Count);
    }

    [Fact]
    public void MR1_ListenRecordsTheCallAndReturnsAPortOnTheAnyAddress()
    {
        var reactor = new MemoryReactor();
        var factory = new Factory(() => new P());
        var port = reactor.ListenTcp(0, factory);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 0), port.Host);
        var v6 = reactor.ListenTcp(8080, factory, 7, "::1");
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Any, 8080), v6.Host);
        Assert.Equal((8080, 7, "::1"), (reactor.TcpServers[1].Port, reactor.TcpServers[1].Backlog, reactor.TcpServers[1].Interface));
        Assert.Same(factory, reactor.TcpServers[0].Factory);
        Assert.Equal(50, reactor.TcpServers[0].Backlog);

        var unix = reactor.ListenUnix("/path/to/socket", factory);
        Assert.Equal(new UnixDomainSocketEndPoint("/path/to/socket").ToString(), unix.Host.ToString());
        Assert.Equal(0x1B6, Assert.Single(reactor.UnixServers).Mode);

        var udp = reactor.ListenUdp(53, new Udp());
        Assert.Equal(new IPEndPoint(IPAddress.Any, 53), udp.Host);
        Assert.Single(reactor.UdpServers);

        var memoryPort = Assert.IsType<MemoryListeningPort>(port);
        var stopped = memoryPort.StopListening();
        Assert.True(stopped.Called);
        Assert.True(memoryPort.Stopped);
    }

    [Fact]
    public void MR1_ReadersAndWritersAreSets()
    {
        var reactor = new MemoryReactor();
        var reader = new object();
        var writer = new object();
        reactor.AddReader(reader);
        reactor.AddReader(reader);
        reactor.AddWriter(writer);
        Assert.Single(reactor.Readers);
        Assert.Single(reactor.Writers);
        reactor.RemoveReader(reader);
        Assert.Empty(reactor.Readers);
        reactor.AddReader(reader);
        Assert.Equal(2, reactor.RemoveAll().Count);
        Assert.Empty(reactor.Readers);
        Assert.Empty(reactor.Writers);
    }

    [Fact]
    public void MR1_RunRunsTheWhenRunningHooksThenStops()
    {
        var reactor = new MemoryReactor();
        var order = new List<string>();
        reactor.CallWhenRunning(() => order.Add(reactor.Running ? "first while running" : "first"));
        reactor.CallWhenRunning(() => order.Add("second"));
        reactor.AddSystemEventTrigger(SystemEventPhase.Before, "shutdown", () => order.Add("trigger"));
        reactor.Run();
        Assert.Equal(["first while running", "second"], order);
        Assert.True(reactor.HasRun);
        Assert.True(reactor.HasStopped);
        Assert.False(reactor.Running);
        Assert.Equal((SystemEventPhase.Before, "shutdown"), (reactor.Triggers[0].Phase, reactor.Triggers[0].EventType));
        reactor.Crash();
        Assert.True(reactor.HasCrashed);
    }

    [Fact]
    public void MR1_FakeConnectorRecordsWhatIsAskedOfIt()
    {
        var reactor = new MemoryReactor();
        var connector = Assert.IsType<MemoryConnector>(reactor.ConnectTcp("example.org", 80, new Recording()));
        connector.Connect();
        connector.StopConnecting();
        connector.Disconnect();
        Assert.Equal(1, connector.ConnectCount);
        Assert.True(connector.StoppedConnecting);
        Assert.True(connector.Disconnected);
    }

    [Fact]
    public void MR2_MemoryReactorClockIsAlsoAClock()
    {
        var reactor = new MemoryReactorClock();
        var fired = false;
        reactor.CallLater(TimeSpan.FromSeconds(2), () => fired = true);
        Assert.Single(reactor.GetDelayedCalls());
        reactor.Advance(TimeSpan.FromSeconds(1));
        Assert.False(fired);
        reactor.Pump(TimeSpan.FromSeconds(1));
        Assert.True(fired);
        Assert.Equal(TimeSpan.FromSeconds(2), reactor.Now);
        reactor.ListenTcp(80, new Factory(() => new P()));
        Assert.Single(reactor.TcpServers);
    }

    [Fact]
    public void MR2_RaisingMemoryReactorThrowsTheConfiguredExceptions()
    {
        var listen = new SocketException((int)SocketError.AddressAlreadyInUse);
        var connect = new ConnectException("nope");
        var reactor = new RaisingMemoryReactor(listen, connect);
        var factory = new Recording();
        Assert.Same(listen, Assert.Throws<SocketException>(() => reactor.ListenTcp(80, factory)));
        Assert.Same(listen, Assert.Throws<SocketException>(() => reactor.ListenUnix("/x", factory)));
        Assert.Same(listen, Assert.Throws<SocketException>(() => reactor.ListenUdp(53, new Udp())));
        Assert.Same(connect, Assert.Throws<ConnectException>(() => reactor.ConnectTcp("h", 1, factory)));
        Assert.Same(connect, Assert.Throws<ConnectException>(() => reactor.ConnectUnix("/x", factory)));
        Assert.Empty(factory.Started);
        Assert.Throws<InvalidOperationException>(() => new RaisingMemoryReactor().ListenTcp(1, factory));
    }

    [Fact]
    public void MR2_NonStreamingProducerWritesTenTimesThenUnregisters()
    {
        var consumer = new MemoryTransport();
        var producer = new NonStreamingProducer(consumer);
        consumer.RegisterProducer(producer, false);
        while (consumer.Producer is not null) producer.ResumeProducing();
        Assert.Equal("0123456789", consumer.ValueAsString());
        Assert.True(producer.Result.Called);
        Assert.False(producer.Stopped);
        Assert.Throws<InvalidOperationException>(producer.ResumeProducing);
    }

    [Fact]
    public void MR2_NonStreamingProducerCannotBePausedAndCanBeStopped()
    {
        var consumer = new MemoryTransport();
        var producer = new NonStreamingProducer(consumer);
        Assert.Throws<InvalidOperationException>(producer.PauseProducing);
        producer.StopProducing();
        Assert.True(producer.Stopped);
        Assert.True(producer.Result.Called);
    }
}
