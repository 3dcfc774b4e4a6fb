using Twine.Defer;
using Twine.Net;
using Twine.Reactors;
using static Twine.Tests.Net.Tcp.NetTesting;

namespace Twine.Tests.Net.Tcp;

/// <summary>
/// Listening ports and connections are <see cref="IAsyncDisposable"/> (ADISP1, ADISP2): disposing a connection is
/// LoseConnection and completes once ConnectionLost has run; disposing a port is StopListening.
/// </summary>
public sealed class TcpAsyncDisposeTests
{
    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void DisposingAConnectionSendsWhatIsBufferedAndCompletesAfterConnectionLost(NetSetup backend)
    {
        // ADISP1
        using var reactor = Create(backend);
        bool pendingAtFirst = false;
        int lostCountWhenDisposed = -1;
        bool clientLost = false, serverDisposed = false;
        void StopWhenBothDone()
        {
            if (clientLost && serverDisposed) reactor.Stop();
        }
        async Deferred SayByeAndDispose(RecordingProtocol server)
        {
            server.Transport.Write("bye"u8);
            var disposal = server.Transport.DisposeAsync();
            pendingAtFirst = !disposal.IsCompleted;
            await disposal;
            lostCountWhenDisposed = server.LostCount;
            serverDisposed = true;
            StopWhenBothDone();
        }
        var (port, number) = ListenLocal(reactor, Factory.ForProtocol(() => new RecordingProtocol { OnMade = p => _ = SayByeAndDispose(p) }));
        var client = new RecordingProtocol { OnLost = (_, _) => { clientLost = true; StopWhenBothDone(); } };
        reactor.ConnectTcp("127.0.0.1", number, Client(client));
        Run(reactor);

        Assert.True(pendingAtFirst, "DisposeAsync completed before the connection was lost");
        Assert.Equal(1, lostCountWhenDisposed);
        Assert.Equal("bye"u8.ToArray(), client.Received);
        Assert.NotNull(client.LostReason!.Check(typeof(ConnectionDoneException)));
        port.StopListening();
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void DisposingALostConnectionCompletesAtOnce(NetSetup backend)
    {
        // ADISP1: a second disposal, or one after the loss, has nothing left to wait for.
        using var reactor = Create(backend);
        bool completedAtOnce = false;
        var (port, number) = ListenLocal(reactor, Factory.ForProtocol(() => new RecordingProtocol
        {
            OnLost = (p, _) => reactor.CallLater(TimeSpan.Zero, () =>
            {
                completedAtOnce = p.Transport.DisposeAsync().IsCompleted;
                reactor.Stop();
            }),
        }));
        var client = new RecordingProtocol { OnMade = p => p.Transport.LoseConnection() };
        reactor.ConnectTcp("127.0.0.1", number, Client(client));
        Run(reactor);

        Assert.True(completedAtOnce);
        port.StopListening();
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void DisposingAPortStopsListening(NetSetup backend)
    {
        // ADISP2
        using var reactor = Create(backend);
        var factory = new Factory(() => new RecordingProtocol()) { Noisy = false };
        var (port, number) = ListenLocal(reactor, factory);
        Failure? refused = null;
        bool disposed = false;
        async Deferred DisposeThenConnect()
        {
            await using (port)
            {
                Assert.Equal(1, factory.NumPorts);
            }
            disposed = true;
            var client = Client(new RecordingProtocol());
            client.OnFailed = (_, reason) => { refused = reason; reactor.Stop(); };
            reactor.ConnectTcp("127.0.0.1", number, client);
        }
        reactor.CallWhenRunning(() => _ = DisposeThenConnect());
        Run(reactor);

        Assert.True(disposed);
        Assert.Equal(0, factory.NumPorts);
        Assert.NotNull(refused!.Check(typeof(ConnectionRefusedException)));
    }
}
