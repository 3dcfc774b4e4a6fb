using Twine.Net.Sockets;
using System.Net;
using Twine.Net;
using Twine.Net.Native;
using Twine.Net.Tcp;
using Twine.Reactors;
using static Twine.Tests.Net.Tcp.NetTesting;

namespace Twine.Tests.Net.Tcp;

/// <summary>TCP transports on real loopback sockets, on both backends: data, closing, half-close, addresses, options.</summary>
public sealed class TcpConnectionTests
{
    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void EchoRoundTripAndCleanClose(NetSetup backend)
    {
        using var reactor = Create(backend);
        EchoProtocol? server = null;
        var (port, number) = ListenLocal(reactor, Factory.ForProtocol(() => server = new EchoProtocol()));
        var client = new RecordingProtocol
        {
            OnMade = p => p.Transport.Write("hello, world"u8),
            OnData = (p, _) =>
            {
                if (p.ReceivedCount == 12) p.Transport.LoseConnection();
            },
            OnLost = (_, _) => reactor.Stop(),
        };
        reactor.ConnectTcp("127.0.0.1", number, Client(client));
        Run(reactor);

        Assert.Equal("hello, world"u8.ToArray(), client.Received);
        Assert.True(client.LostReason!.Check(typeof(ConnectionDoneException)) is not null, client.LostReason.GetErrorMessage());
        Assert.NotNull(server);
        Assert.Equal("hello, world"u8.ToArray(), server!.Received);
        port.StopListening();
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void ServerSeesConnectionDoneWhenThePeerCloses(NetSetup backend)
    {
        using var reactor = Create(backend);
        RecordingProtocol? server = null;
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => server = new RecordingProtocol { OnLost = (_, _) => reactor.Stop() }));
        var client = new RecordingProtocol { OnMade = p => { p.Transport.Write("bye"u8); p.Transport.LoseConnection(); } };
        reactor.ConnectTcp("127.0.0.1", number, Client(client));
        Run(reactor);

        Assert.Equal("bye"u8.ToArray(), server!.Received);
        Assert.NotNull(server.LostReason!.Check(typeof(ConnectionDoneException)));
        Assert.Equal(1, server.LostCount);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void ManySmallWritesAreBufferedUntilTheFlushPhaseAndPacked(NetSetup backend)
    {
        using var reactor = Create(backend);
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => new EchoProtocol()));
        long bufferedRightAfterWrites = -1;
        int segments = -1;
        var client = new RecordingProtocol
        {
            OnMade = p =>
            {
                for (int i = 0; i < 1000; i++) p.Transport.Write("0123456789"u8);
                // Nothing went to the kernel yet: one sendmsg in the flush phase will carry all of it.
                bufferedRightAfterWrites = ((ISocketTransport)p.Transport).BufferedBytes;
                segments = BufferSegments(p.Transport);
            },
            OnData = (p, _) =>
            {
                if (p.ReceivedCount == 10_000) reactor.Stop();
            },
        };
        reactor.ConnectTcp("127.0.0.1", number, Client(client));
        Run(reactor);

        Assert.Equal(10_000, bufferedRightAfterWrites);
        Assert.Equal(1, segments);   // 10,000 bytes packed into one 16 KiB chunk
        var expected = Enumerable.Repeat("0123456789"u8.ToArray(), 1000).SelectMany(b => b).ToArray();
        Assert.Equal(expected, client.Received);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void LargeWritesArriveIntactAndLoseConnectionWaitsForTheBufferToDrain(NetSetup backend)
    {
        using var reactor = Create(backend);
        var payload = Pattern(4 * 1024 * 1024 + 123);
        RecordingProtocol? server = null;
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => server = new RecordingProtocol
        {
            OnMade = p =>
            {
                p.Transport.Write(payload.AsSpan(0, 1000));
                p.Transport.Write(payload.AsSpan(1000));
                p.Transport.LoseConnection();   // after all 4 MiB are sent
                Assert.True(p.Transport.Disconnecting);
            },
        }));
        var client = new RecordingProtocol { OnLost = (_, _) => reactor.Stop() };
        reactor.ConnectTcp("127.0.0.1", number, Client(client));
        Run(reactor);

        Assert.Equal(payload.Length, client.Received.Length);
        Assert.True(payload.AsSpan().SequenceEqual(client.Received));
        Assert.NotNull(client.LostReason!.Check(typeof(ConnectionDoneException)));
        Assert.NotNull(server!.LostReason!.Check(typeof(ConnectionDoneException)));
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void WriteSequenceSendsEachBufferInOrder(NetSetup backend)
    {
        using var reactor = Create(backend);
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => new RecordingProtocol
        {
            OnMade = p =>
            {
                p.Transport.WriteSequence(["ab"u8.ToArray(), Pattern(20_000), "cd"u8.ToArray()]);
                p.Transport.LoseConnection();
            },
        }));
        var client = new RecordingProtocol { OnLost = (_, _) => reactor.Stop() };
        reactor.ConnectTcp("127.0.0.1", number, Client(client));
        Run(reactor);

        Assert.Equal([.. "ab"u8.ToArray(), .. Pattern(20_000), .. "cd"u8.ToArray()], client.Received);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void AbortConnectionResetsThePeerAndReportsAbortedOnALaterTurn(NetSetup backend)
    {
        using var reactor = Create(backend);
        RecordingProtocol? server = null;
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => server = new RecordingProtocol
        {
            OnData = (p, _) => p.Transport.Write(Pattern(100_000)),   // never delivered: the peer aborts
            OnLost = (_, _) => reactor.Stop(),
        }));
        bool lostInsideAbort = false;
        var client = new RecordingProtocol
        {
            OnMade = p =>
            {
                p.Transport.Write("x"u8);
                p.Transport.Write(Pattern(50_000));
            },
        };
        client.OnData = (p, _) =>
        {
            if (p.LostCount > 0) return;
            p.Transport.Write(Pattern(10_000));   // buffered, then discarded by the abort
            p.Transport.AbortConnection();
            lostInsideAbort = p.LostCount > 0;
        };
        reactor.ConnectTcp("127.0.0.1", number, Client(client));
        Run(reactor);

        Assert.False(lostInsideAbort, "ConnectionLost ran inside AbortConnection");
        Assert.NotNull(client.LostReason!.Check(typeof(ConnectionAbortedException)));
        Assert.Equal(1, client.LostCount);
        // The server's read or write hits the reset: a non-clean loss (reset by peer).
        Assert.NotNull(server!.LostReason!.Check(typeof(ConnectionLostException)));
        Assert.Null(server.LostReason.Check(typeof(ConnectionDoneException)));
        var socketError = server.LostReason.Value.InnerException as System.Net.Sockets.SocketException;
        Assert.Equal(System.Net.Sockets.SocketError.ConnectionReset, socketError?.SocketErrorCode);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void HalfCloseLetsTheServerAnswerAfterEndOfStream(NetSetup backend)
    {
        using var reactor = Create(backend);
        HalfCloseRecordingProtocol? server = null;
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => server = new HalfCloseRecordingProtocol
        {
            OnReadLost = p =>
            {
                p.Transport.Write(System.Text.Encoding.ASCII.GetBytes($"got {p.ReceivedCount}"));
                p.Transport.LoseConnection();
            },
        }));
        var client = new HalfCloseRecordingProtocol
        {
            OnMade = p =>
            {
                p.Transport.Write(Pattern(70_000));
                p.Transport.LoseWriteConnection();
            },
            // As in Twisted, a half-closeable protocol decides when to close, even with both directions finished.
            OnReadLost = p => p.Transport.LoseConnection(),
            OnLost = (_, _) => reactor.Stop(),
        };
        reactor.ConnectTcp("127.0.0.1", number, Client(client));
        Run(reactor);

        Assert.True(server!.ReadLost);
        Assert.Equal(Pattern(70_000), server.Received);
        Assert.True(client.WriteLost);
        Assert.True(client.ReadLost);
        Assert.Equal("got 70000"u8.ToArray(), client.Received);
        Assert.NotNull(client.LostReason!.Check(typeof(ConnectionDoneException)));
        Assert.NotNull(server.LostReason!.Check(typeof(ConnectionDoneException)));
    }

    [Theory, MemberData(nameof(NativeBackends), MemberType = typeof(NetTesting))]
    public void HostAndPeerAreTheTwoEndsAndTcpNoDelayIsOnByDefault(NetSetup backend)
    {
        using var reactor = Create(backend);
        ITransport? serverTransport = null, clientTransport = null;
        int noDelay = -1, keepAlive = -1;
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => new RecordingProtocol
        {
            OnMade = p =>
            {
                serverTransport = p.Transport;
                if (clientTransport is not null) reactor.Stop();
            },
        }));
        var client = new RecordingProtocol
        {
            OnMade = p =>
            {
                clientTransport = p.Transport;
                var tcp = (ITcpTransport)p.Transport;
                int fd = ((StreamConnection)p.Transport).Fd;
                noDelay = SocketNative.GetIntOption(fd, SocketNative.IPPROTO_TCP, SocketNative.TCP_NODELAY);
                Assert.True(tcp.NoDelay);
                Assert.False(tcp.KeepAlive);
                tcp.KeepAlive = true;
                keepAlive = SocketNative.GetIntOption(fd, SocketNative.SOL_SOCKET, SocketNative.SO_KEEPALIVE);
                if (serverTransport is not null) reactor.Stop();
            },
        };
        reactor.ConnectTcp("127.0.0.1", number, Client(client), bindAddress: new IPEndPoint(IPAddress.Loopback, 0));
        Run(reactor);

        Assert.Equal(serverTransport!.Peer, clientTransport!.Host);
        Assert.Equal(clientTransport.Peer, serverTransport.Host);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, number), clientTransport.Peer);
        Assert.Equal(IPAddress.Loopback, ((IPEndPoint)clientTransport.Host).Address);
        Assert.Equal(1, noDelay);
        Assert.Equal(1, keepAlive);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void IPv6LoopbackWorks(NetSetup backend)
    {
        using var reactor = Create(backend);
        var port = reactor.ListenTcp(0, Factory.ForProtocol(() => new EchoProtocol()), interfaceAddress: "::1");
        var host = (IPEndPoint)port.Host;
        Assert.Equal(IPAddress.IPv6Loopback, host.Address);
        var client = new RecordingProtocol
        {
            OnMade = p => p.Transport.Write("six"u8),
            OnData = (p, _) =>
            {
                if (p.ReceivedCount == 3) reactor.Stop();
            },
        };
        reactor.ConnectTcp("::1", host.Port, Client(client));
        Run(reactor);

        Assert.Equal("six"u8.ToArray(), client.Received);
        Assert.Equal(IPAddress.IPv6Loopback, ((IPEndPoint)client.Transport.Peer).Address);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void ReactorShutdownLosesOpenConnections(NetSetup backend)
    {
        using var reactor = Create(backend);
        RecordingProtocol? server = null;
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => server = new RecordingProtocol { OnMade = _ => reactor.Stop() }));
        var client = new RecordingProtocol();
        reactor.ConnectTcp("127.0.0.1", number, Client(client));
        Run(reactor);

        Assert.NotNull(server!.LostReason!.Check(typeof(ConnectionLostException)));
        Assert.Equal(0, OpenHandles(reactor));
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void WritesAfterTheConnectionClosedAreIgnored(NetSetup backend)
    {
        using var reactor = Create(backend);
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => new RecordingProtocol { OnMade = p => p.Transport.LoseConnection() }));
        var client = new RecordingProtocol
        {
            OnLost = (p, _) =>
            {
                p.Transport.Write("too late"u8);
                p.Transport.LoseConnection();
                p.Transport.AbortConnection();
                Assert.Equal(0, ((ISocketTransport)p.Transport).BufferedBytes);
                reactor.CallLater(TimeSpan.FromMilliseconds(1), reactor.Stop);
            },
        };
        reactor.ConnectTcp("127.0.0.1", number, Client(client));
        Run(reactor);

        Assert.Equal(1, client.LostCount);
    }
}
