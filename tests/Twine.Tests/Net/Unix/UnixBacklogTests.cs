using System.Net.Sockets;
using Twine.Net;
using Twine.Tests.Net.Tcp;
using static Twine.Tests.Net.Tcp.NetTesting;

namespace Twine.Tests.Net.Unix;

/// <summary>
/// A Unix connect to a listener whose backlog is full (UX2 in docs/behaviours.md): the kernel refuses a non-blocking
/// Unix connect with EAGAIN instead of queueing it, and both socket layers retry until there is room.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class UnixBacklogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("twine-backlog-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void AConnectRefusedByAFullBacklogIsRetriedUntilTheListenerMakesRoom(NetSetup backend)
    {
        string path = Path.Combine(_dir, "full.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        var fillers = new List<Socket>();
        try
        {
            Assert.True(FillBacklog(path, fillers), "the listener's backlog never filled: no EAGAIN to retry on");

            using var reactor = Create(backend);
            var client = new RecordingProtocol { OnMade = _ => reactor.Stop() };
            var factory = Client(client);
            factory.OnFailed = (_, _) => reactor.Stop();
            // The first connect meets the full backlog inside ConnectUnix (both layers try at once); the listener
            // makes room on a later turn, and only a retry can connect then.
            reactor.ConnectUnix(path, factory, timeout: TimeSpan.FromSeconds(30));
            reactor.CallLater(TimeSpan.Zero, () => AcceptAll(listener));
            Run(reactor);

            Assert.Null(factory.Failed);
            Assert.True(client.Made);
            Assert.Equal(1, factory.Started);
        }
        finally
        {
            foreach (var socket in fillers) socket.Dispose();
        }
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void AConnectWaitingForRoomStopsWhenAskedAndClosesItsSocket(NetSetup backend)
    {
        string path = Path.Combine(_dir, "stop.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        var fillers = new List<Socket>();
        try
        {
            Assert.True(FillBacklog(path, fillers), "the listener's backlog never filled: no EAGAIN to retry on");

            using var reactor = Create(backend);
            var factory = Client(new RecordingProtocol());
            factory.OnFailed = (_, _) => reactor.Stop();
            var connector = reactor.ConnectUnix(path, factory, timeout: TimeSpan.FromSeconds(30));
            reactor.CallLater(TimeSpan.Zero, connector.StopConnecting);
            Run(reactor);

            Assert.NotNull(factory.Failed!.Check(typeof(StoppedConnectingException)));
            Assert.Equal(0, OpenHandles(reactor));
        }
        finally
        {
            foreach (var socket in fillers) socket.Dispose();
        }
    }

    /// <summary>Connects raw non-blocking clients until the kernel refuses one with EAGAIN; false if it never does.</summary>
    private static bool FillBacklog(string path, List<Socket> fillers)
    {
        for (int i = 0; i < 64; i++)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { Blocking = false };
            try
            {
                socket.Connect(new UnixDomainSocketEndPoint(path));
                fillers.Add(socket);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.WouldBlock)
            {
                socket.Dispose();
                return true;
            }
        }
        return false;
    }

    /// <summary>Accepts (and closes) every queued connection, without blocking.</summary>
    private static void AcceptAll(Socket listener)
    {
        listener.Blocking = false;
        while (true)
        {
            try
            {
                listener.Accept().Dispose();
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.WouldBlock)
            {
                return;
            }
        }
    }
}
