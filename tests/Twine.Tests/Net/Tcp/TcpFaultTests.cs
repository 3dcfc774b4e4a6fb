using Twine.Native;
using Twine.Net.Sockets;
using System.Net;
using System.Net.Sockets;
using Twine.Net;
using Twine.Net.Native;
using Twine.Net.Tcp;
using Twine.Reactors;
using Twine.Tests.Reactors;
using static Twine.Tests.Net.Tcp.NetTesting;

namespace Twine.Tests.Net.Tcp;

/// <summary>Faults on real loopback sockets: refused, reset, vanished peers, throwing protocols, descriptor exhaustion, timeouts.</summary>
public sealed class TcpFaultTests
{
    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void ConnectionRefusedIsReportedAndTheFactoryStopped(NetSetup backend)
    {
        using var reactor = Create(backend);
        // A port that was just in use and is now closed: nothing listens there.
        var (port, number) = ListenLocal(reactor, Factory.ForProtocol(() => new RecordingProtocol()));
        port.StopListening();
        var client = new RecordingProtocol();
        var factory = Client(client);
        factory.OnFailed = (_, _) => reactor.Stop();
        var connector = reactor.ConnectTcp("127.0.0.1", number, factory);
        Assert.Equal(1, factory.Started);
        Assert.Equal(1, factory.NumPorts);
        Run(reactor);

        Assert.NotNull(factory.Failed!.Check(typeof(ConnectionRefusedException)));
        Assert.NotNull(factory.Failed.Check(typeof(ConnectException)));
        Assert.Equal(SocketError.ConnectionRefused, ((SocketException)factory.Failed.Value.InnerException!).SocketErrorCode);
        Assert.False(client.Made);
        Assert.Equal(ConnectorState.Disconnected, ((Connector)connector).State);
        Assert.Equal(0, factory.NumPorts);   // PF4: stopped after the failure
        Assert.Equal(0, OpenHandles(reactor));
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void ResetByPeerIsANonCleanLoss(NetSetup backend)
    {
        using var reactor = Create(backend);
        RecordingProtocol? server = null;
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => server = new RecordingProtocol
        {
            OnData = (p, _) => p.Transport.Write("ack"u8),
            OnLost = (_, _) => reactor.Stop(),
        }));
        var client = new RecordingProtocol { OnMade = p => p.Transport.Write("hi"u8) };
        client.OnData = (p, _) => p.Transport.AbortConnection();   // RST (SO_LINGER 0)
        var factory = Client(client);
        reactor.ConnectTcp("127.0.0.1", number, factory);
        Run(reactor);

        var reason = server!.LostReason!;
        Assert.NotNull(reason.Check(typeof(ConnectionLostException)));
        Assert.Null(reason.Check(typeof(ConnectionDoneException)));
        Assert.Equal(SocketError.ConnectionReset, ((SocketException)reason.Value.InnerException!).SocketErrorCode);
        // The client side: aborted, and its factory heard of the lost connection (PF4).
        Assert.NotNull(client.LostReason!.Check(typeof(ConnectionAbortedException)));
        Assert.NotNull(factory.Lost!.Check(typeof(ConnectionAbortedException)));
        Assert.Equal(0, factory.NumPorts);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void APeerVanishingMidWriteLosesTheConnectionAndStopsTheProducer(NetSetup backend)
    {
        using var reactor = Create(backend);
        RecordingProtocol? server = null;
        TcpFlowControlTests.FloodProducer? producer = null;
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => server = new RecordingProtocol
        {
            OnMade = p =>
            {
                producer = new TcpFlowControlTests.FloodProducer(reactor, p.Transport, long.MaxValue);
                p.Transport.RegisterProducer(producer, streaming: true);
                producer.Start();
            },
            OnLost = (_, _) => reactor.Stop(),
        }));
        var client = new RecordingProtocol();
        client.OnData = (p, _) =>
        {
            if (p.ReceivedCount > 256 * 1024) p.Transport.AbortConnection();   // vanish in the middle of the stream
        };
        reactor.ConnectTcp("127.0.0.1", number, Client(client));
        Run(reactor);

        var reason = server!.LostReason!;
        Assert.NotNull(reason.Check(typeof(ConnectionLostException)));
        Assert.Null(reason.Check(typeof(ConnectionDoneException)));
        Assert.True(producer!.Stopped, "the producer was not stopped");
        Assert.Equal(0, ((ISocketTransport)server.Transport).BufferedBytes);   // the buffer was released
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void AProtocolThrowingInDataReceivedClosesOnlyItsOwnConnection(NetSetup backend)
    {
        using var reactor = Create(backend);
        using var log = new ReactorTesting.LogCapture("boom-7f3a in DataReceived");
        var servers = new List<RecordingProtocol>();
        var boom = new InvalidOperationException("boom-7f3a in DataReceived");
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() =>
        {
            var p = new ThrowingEcho(boom);
            servers.Add(p);
            return p;
        }));
        RecordingProtocol a = new(), b = new();
        int echoed = 0;
        void BothEchoed(RecordingProtocol p, byte[] _)
        {
            if (p.ReceivedCount != 5) return;
            if (++echoed == 2) a.Transport.Write("boom"u8);   // both connections are up: now break one
        }
        a.OnMade = p => p.Transport.Write("hello"u8);
        a.OnData = BothEchoed;
        a.OnLost = (_, _) => b.Transport.Write(" still here"u8);   // the other connection keeps working
        b.OnMade = p => p.Transport.Write("hello"u8);
        RecordingProtocol[] lostBeforeStop = [];
        bool bLostBeforeStop = true;
        b.OnData = (p, d) =>
        {
            BothEchoed(p, d);
            if (p.ReceivedCount != 16) return;
            lostBeforeStop = [.. servers.Where(s => s.LostReason is not null)];
            bLostBeforeStop = b.LostReason is not null;
            reactor.Stop();   // (the shutdown then loses the surviving connection)
        };
        reactor.ConnectTcp("127.0.0.1", number, Client(a));
        reactor.ConnectTcp("127.0.0.1", number, Client(b));
        Run(reactor);

        Assert.Equal(2, servers.Count);
        var broken = Assert.Single(lostBeforeStop);
        Assert.Same(boom, broken.LostReason!.Value);   // ConnectionLost received the protocol's own failure
        Assert.Equal("hello still here"u8.ToArray(), b.Received);
        Assert.False(bLostBeforeStop);
        Assert.NotNull(a.LostReason);
        var entry = Assert.Single(log.Events);
        Assert.Same(boom, entry.Failure!.Value);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void AProtocolThrowingInConnectionMadeIsLoggedAndDisconnected(NetSetup backend)
    {
        using var reactor = Create(backend);
        using var log = new ReactorTesting.LogCapture("boom-81c2 in ConnectionMade");
        var boom = new InvalidOperationException("boom-81c2 in ConnectionMade");
        RecordingProtocol? server = null;
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => server = new RecordingProtocol { OnMade = _ => throw boom }));
        var client = new RecordingProtocol { OnLost = (_, _) => reactor.Stop() };
        reactor.ConnectTcp("127.0.0.1", number, Client(client));
        Run(reactor);

        Assert.Same(boom, server!.LostReason!.Value);
        Assert.Single(log.Events);
        Assert.NotNull(client.LostReason!.Check(typeof(ConnectionDoneException)));
    }

    [Theory, MemberData(nameof(NativeBackends), MemberType = typeof(NetTesting))]
    public void TooManyOpenFilesOnAcceptBacksOffInsteadOfSpinning(NetSetup backend)
    {
        using var reactor = Create(backend);
        using var log = new ReactorTesting.LogCapture("Could not accept new connection");
        RecordingProtocol? server = null;
        var (port, number) = ListenLocal(reactor, Factory.ForProtocol(() => server = new RecordingProtocol { OnMade = _ => reactor.Stop() }));
        var tcpPort = (StreamPort)port;
        // The accept syscall's result is injected (EMFILE, then ENFILE) for the first three attempts; lowering
        // RLIMIT_NOFILE would affect every test running in this process.
        var faultTimes = new List<TimeSpan>();
        bool suspendedAfterFirst = false;
        tcpPort.AcceptFault = () =>
        {
            if (faultTimes.Count >= 3) return 0;
            faultTimes.Add(reactor.Now);
            Assert.False(tcpPort.AcceptSuspended);
            // Looked at on the next turn, once the failure was handled: due before the back-off's retry whatever the
            // machine's load (a probe at a fixed time could come before the connection did).
            if (faultTimes.Count == 1) reactor.CallLater(TimeSpan.Zero, () => suspendedAfterFirst = tcpPort.AcceptSuspended);
            return faultTimes.Count == 3 ? Errno.ENFILE : Errno.EMFILE;
        };
        reactor.ConnectTcp("127.0.0.1", number, Client(new RecordingProtocol()));
        Run(reactor);

        Assert.NotNull(server);                          // accepted in the end
        Assert.True(suspendedAfterFirst, "accepting was not suspended after EMFILE");
        Assert.Equal(3, faultTimes.Count);
        // One attempt per back-off period, not a busy loop: 3 failures, the success, and the EAGAIN ending that batch.
        Assert.Equal(5, tcpPort.AcceptAttempts);
        Assert.True(faultTimes[1] - faultTimes[0] >= StreamPort.MinAcceptBackoff, $"{faultTimes[1] - faultTimes[0]}");
        Assert.True(faultTimes[2] - faultTimes[1] >= 2 * StreamPort.MinAcceptBackoff, $"{faultTimes[2] - faultTimes[1]}");
        var entry = Assert.Single(log.Events);            // logged once, not once per attempt
        Assert.Contains("(errno 24)", entry.Message);   // EMFILE, the first failure
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void AConnectThatHangsTimesOut(NetSetup backend)
    {
        using var reactor = Create(backend);
        // A listener with a full accept queue (backlog 0, one connection waiting, never accepted): Linux drops further
        // SYNs, so a connect to it stays in progress until our timeout.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        using var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        filler.Connect(listener.LocalEndPoint!);
        Assert.True(listener.Poll(TimeSpan.FromSeconds(5), SelectMode.SelectRead), "the filler never reached the accept queue");

        var client = new RecordingProtocol();
        var factory = Client(client);
        factory.OnFailed = (_, _) => reactor.Stop();
        reactor.ConnectTcp("127.0.0.1", ((IPEndPoint)listener.LocalEndPoint!).Port, factory, timeout: TimeSpan.FromMilliseconds(200));
        Run(reactor);

        Assert.NotNull(factory.Failed!.Check(typeof(ConnectTimeoutException)));
        Assert.False(client.Made);
        Assert.Equal(0, OpenHandles(reactor));   // the half-open socket was closed
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void AFactoryReturningNullClosesTheAcceptedSocket(NetSetup backend)
    {
        using var reactor = Create(backend);
        int built = 0;
        var factory = new RefusingFactory(() => built++);
        var port = reactor.ListenTcp(0, factory, interfaceAddress: "127.0.0.1");
        var client = new RecordingProtocol { OnLost = (_, _) => reactor.Stop() };
        reactor.ConnectTcp("127.0.0.1", ((IPEndPoint)port.Host).Port, Client(client));
        Run(reactor);

        Assert.Equal(1, built);
        Assert.True(client.Made);
        Assert.NotNull(client.LostReason!.Check(typeof(ConnectionDoneException)));
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void AFactoryThrowingIsLoggedAndThePortKeepsAccepting(NetSetup backend)
    {
        using var reactor = Create(backend);
        using var log = new ReactorTesting.LogCapture("first build fails-5d0e");
        int calls = 0;
        RecordingProtocol? accepted = null;
        var factory = new Factory(() =>
        {
            if (calls++ == 0) throw new InvalidOperationException("first build fails-5d0e");
            return accepted = new RecordingProtocol { OnMade = _ => reactor.Stop() };
        });
        var (_, number) = ListenLocal(reactor, factory);
        var first = new RecordingProtocol { OnLost = (_, _) => reactor.ConnectTcp("127.0.0.1", number, Client(new RecordingProtocol())) };
        reactor.ConnectTcp("127.0.0.1", number, Client(first));
        Run(reactor);

        Assert.Single(log.Events);
        Assert.NotNull(accepted);
        Assert.NotNull(first.LostReason);
    }

    private sealed class ThrowingEcho(Exception boom) : RecordingProtocol
    {
        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            if (data.SequenceEqual("boom"u8)) throw boom;
            base.DataReceived(data);
            Transport.Write(data);
        }
    }

    private sealed class RefusingFactory(Action onBuild) : Factory
    {
        public override IProtocol? BuildProtocol(EndPoint address)
        {
            onBuild();
            return null;
        }
    }
}
