using System.Net;
using System.Net.Sockets;
using Twine.Defer;
using Twine.Net;
using Twine.Reactors;
using Twine.Testing;
using Twine.Threading;

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
        reactor.CallWhenRunning(() => order.Add(reactor.IsRunning ? "first while running" : "first"));
        reactor.CallWhenRunning(() => order.Add("second"));
        reactor.AddSystemEventTrigger(SystemEventPhase.Before, "shutdown", () => order.Add("trigger"));
        reactor.Run();
        // MR4: after the stop, the recorded shutdown trigger runs too.
        Assert.Equal(["first while running", "second", "trigger"], order);
        Assert.True(reactor.HasRun);
        Assert.True(reactor.HasStopped);
        Assert.False(reactor.IsRunning);
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

    [Fact]
    public void MR4_StopWhenNotRunningThrowsAndACrashSkipsTheShutdownTriggers()
    {
        IReactorCore reactor = new MemoryReactor();
        Assert.Throws<ReactorNotRunningException>(reactor.Stop);
        var ran = new List<string>();
        var removed = reactor.AddSystemEventTrigger(SystemEventPhase.During, Reactor.Shutdown, () => ran.Add("removed"));
        reactor.AddSystemEventTrigger(SystemEventPhase.After, Reactor.Shutdown, () => ran.Add("after"));
        reactor.RemoveSystemEventTrigger(removed);
        Assert.Throws<ArgumentException>(() => reactor.RemoveSystemEventTrigger(removed));
        reactor.CallWhenRunning(reactor.Crash);
        reactor.Run();
        Assert.Empty(ran);
        Assert.Null(reactor.CallWhenRunning(() => ran.Add("hook")));   // not running: recorded for the next Run
        reactor.Run();
        Assert.Equal(["hook", "after"], ran);
    }

    [Fact]
    public void MR4_ABeforeShutdownDeferredHoldsTheLaterPhases()
    {
        var reactor = new MemoryReactor();
        var hold = new Deferred<Unit>();
        var ran = new List<string>();
        reactor.AddSystemEventTrigger(SystemEventPhase.Before, Reactor.Shutdown, () => hold);
        reactor.AddSystemEventTrigger(SystemEventPhase.During, Reactor.Shutdown, () => ran.Add("during"));
        reactor.Run();
        Assert.Empty(ran);
        hold.Callback();
        Assert.Equal(["during"], ran);
    }

    [Fact]
    public void MR4_ThreadCallsRunAtOnceInOrderOnTheCallersThread()
    {
        IReactorThreads reactor = new MemoryReactor();
        var order = new List<string>();
        int thread = Environment.CurrentManagedThreadId;
        reactor.CallFromThread(() => order.Add("from thread"));
        reactor.CallFromThread(s => order.Add(s), "with state");
        reactor.CallInThread(() => order.Add(Environment.CurrentManagedThreadId == thread ? "in pool, same thread" : "other"));
        reactor.CallMultipleInThread([() => order.Add("m1"), () => order.Add("m2")]);
        Assert.Equal(["from thread", "with state", "in pool, same thread", "m1", "m2"], order);
        Assert.Equal(7, reactor.DeferToThread(() => 7).Result.Value);
        var failed = reactor.DeferToThread(new Action(() => throw new InvalidOperationException("in the pool")));
        Assert.IsType<InvalidOperationException>(failed.Result.Failure!.Value);
        failed.AddErrback(_ => { });
        Assert.Throws<InvalidOperationException>(() => reactor.CallFromThread(() => throw new InvalidOperationException("surfaces")));
        var memory = (MemoryReactor)reactor;
        Assert.Equal(3, memory.ThreadCallCount);
        Assert.Equal(4, memory.PoolCallCount);
        reactor.SuggestThreadPoolSize(3);
        Assert.Equal(3, reactor.SuggestedThreadPoolSize);
        var pool = reactor.GetThreadPool();
        Assert.Same(pool, reactor.GetThreadPool());
        Assert.Equal(3, pool.MaxThreads);
        Assert.False(pool.IsStarted);
    }

    /// <summary>Lifecycle code written against the role, as user code would be.</summary>
    private static List<string> Lifecycle(IReactorCore reactor)
    {
        var order = new List<string>();
        reactor.AddSystemEventTrigger(SystemEventPhase.After, Reactor.Shutdown, () => order.Add("after shutdown"));
        reactor.AddSystemEventTrigger(SystemEventPhase.During, Reactor.Shutdown, () => order.Add($"during shutdown, running: {reactor.IsRunning}"));
        var held = new Deferred<Unit>();
        reactor.AddSystemEventTrigger(SystemEventPhase.Before, Reactor.Shutdown, () =>
        {
            order.Add("before shutdown");
            return held;
        });
        reactor.AddSystemEventTrigger(SystemEventPhase.Before, Reactor.Shutdown, () => held.Callback());
        reactor.CallWhenRunning(() =>
        {
            order.Add($"when running, running: {reactor.IsRunning}");
            reactor.Stop();
            Assert.Throws<ReactorNotRunningException>(reactor.Stop);
        });
        reactor.Run();
        order.Add($"returned, running: {reactor.IsRunning}, signal: {reactor.ExitSignal?.ToString() ?? "none"}");
        return order;
    }

    [Fact]
    public void MR4_TheSameLifecycleCodeRunsAlikeOnTheRealReactorAndTheMemoryReactor()
    {
        using var real = Reactor.Create(new ReactorOptions { InstallSignalHandlers = false });
        var expected = Lifecycle(real);
        Assert.Equal(
            ["when running, running: True", "before shutdown", "during shutdown, running: False", "after shutdown",
             "returned, running: False, signal: none"],
            expected);
        Assert.Equal(expected, Lifecycle(new MemoryReactor()));
    }
}
