using Twine.Native;
using System.Net.Sockets;
using Twine.Net;
using Twine.Net.Native;
using Twine.Reactors;
using Twine.Tests.Net.Tcp;
using static Twine.Tests.Net.Tcp.NetTesting;

namespace Twine.Tests.Net.Unix;

/// <summary>Unix-domain stream sockets on both backends: ListenUnix/ConnectUnix, file mode, lock files, errors.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class UnixSocketTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("twine-unix-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string SocketPath(string name = "s.sock") => Path.Combine(_dir, name);

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void EchoOverAUnixSocketWithTheFileModeAndCleanup(NetSetup backend)
    {
        using var reactor = Create(backend);
        string path = SocketPath();
        var port = reactor.ListenUnix(path, Factory.ForProtocol(() => new EchoProtocol()), mode: Convert.ToInt32("660", 8));
        Assert.Equal(path, port.Host.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite,
            File.GetUnixFileMode(path));

        var client = new RecordingProtocol
        {
            OnMade = p => p.Transport.Write(Pattern(100_000)),
            OnData = (p, _) =>
            {
                if (p.ReceivedCount == 100_000) p.Transport.LoseConnection();
            },
            OnLost = (_, _) => reactor.Stop(),
        };
        var factory = Client(client);
        var connector = reactor.ConnectUnix(path, factory);
        Assert.Equal(new UnixDomainSocketEndPoint(path), connector.Destination);
        Run(reactor);

        Assert.Equal(Pattern(100_000), client.Received);
        Assert.NotNull(client.LostReason!.Check(typeof(ConnectionDoneException)));
        Assert.Equal(path, client.Transport.Peer.ToString());
        Assert.IsNotAssignableFrom<ITcpTransport>(client.Transport);
        Assert.IsAssignableFrom<ISocketTransport>(client.Transport);
        Assert.False(File.Exists(path));   // removed when the reactor shut the port down
        Assert.Equal(0, factory.NumPorts);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void ConnectingToAMissingOrDeadSocketFails(NetSetup backend)
    {
        using var reactor = Create(backend);
        var missing = Client(new RecordingProtocol());
        reactor.ConnectUnix(SocketPath("missing.sock"), missing);

        // A socket file nobody listens on any more (bound, never listening): connect is refused.
        string dead = SocketPath("dead.sock");
        LeaveStaleSocketFile(dead);
        var refused = Client(new RecordingProtocol());
        refused.OnFailed = (_, _) =>
        {
            if (missing.Failed is not null) reactor.Stop();
        };
        missing.OnFailed = (_, _) =>
        {
            if (refused.Failed is not null) reactor.Stop();
        };
        reactor.ConnectUnix(dead, refused);
        Run(reactor);

        Assert.NotNull(missing.Failed!.Check(typeof(ConnectException)));
        Assert.Equal(SocketError.AddressNotAvailable, ((SocketException)missing.Failed.Value.InnerException!).SocketErrorCode);
        Assert.NotNull(refused.Failed!.Check(typeof(ConnectionRefusedException)));
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void WantPidLocksTheSocketAgainstASecondServer(NetSetup backend)
    {
        using var reactor = Create(backend);
        string path = SocketPath();
        var first = reactor.ListenUnix(path, Factory.ForProtocol(() => new RecordingProtocol()), wantPid: true);
        Assert.Equal(Environment.ProcessId.ToString(), new FileInfo(path + ".lock").LinkTarget);
        Assert.Throws<CannotListenException>(() => reactor.ListenUnix(path, Factory.ForProtocol(() => new RecordingProtocol()), wantPid: true));
        Assert.True(File.Exists(path));   // the refused server did not remove the live one's socket

        first.StopListening();
        Assert.False(File.Exists(path + ".lock"));
        Assert.False(File.Exists(path));
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void AStaleLockIsTakenOverAndItsLeftoverSocketRemoved(NetSetup backend)
    {
        using var reactor = Create(backend);
        string path = SocketPath();
        // A crashed server: its socket file and a lock naming a process that no longer exists.
        LeaveStaleSocketFile(path);
        Assert.True(File.Exists(path));
        File.CreateSymbolicLink(path + ".lock", DeadPid().ToString());

        var port = reactor.ListenUnix(path, Factory.ForProtocol(() => new RecordingProtocol { OnMade = _ => reactor.Stop() }), wantPid: true);
        Assert.Equal(Environment.ProcessId.ToString(), new FileInfo(path + ".lock").LinkTarget);
        var client = new RecordingProtocol();
        reactor.ConnectUnix(path, Client(client), checkPid: true);
        Run(reactor);
        Assert.True(client.Made);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void CheckPidFailsFastWithoutALiveLock(NetSetup backend)
    {
        using var reactor = Create(backend);
        string path = SocketPath();
        reactor.ListenUnix(path, Factory.ForProtocol(() => new RecordingProtocol()), wantPid: false);
        var factory = Client(new RecordingProtocol());
        factory.OnFailed = (_, _) => reactor.Stop();
        reactor.ConnectUnix(path, factory, checkPid: true);
        Assert.Null(factory.Failed);   // reported from a later turn, after StartedConnecting
        Run(reactor);
        var e = Assert.IsType<BadFileException>(factory.Failed!.Value);
        Assert.Equal(path, e.Path);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void AnAbstractSocketHasNoFile(NetSetup backend)
    {
        using var reactor = Create(backend);
        string name = "\0twine-test-" + Guid.NewGuid().ToString("N");
        reactor.ListenUnix(name, Factory.ForProtocol(() => new EchoProtocol()));
        var client = new RecordingProtocol
        {
            OnMade = p => p.Transport.Write("abstract"u8),
            OnData = (p, _) =>
            {
                if (p.ReceivedCount == 8) reactor.Stop();
            },
        };
        reactor.ConnectUnix(name, Client(client));
        Run(reactor);
        Assert.Equal("abstract"u8.ToArray(), client.Received);
    }

    /// <summary>
    /// Binds a socket to <paramref name="path"/> and closes it, leaving the file behind as a crashed server would.
    /// (A .NET Socket would delete the file when disposed.)
    /// </summary>
    private static unsafe void LeaveStaleSocketFile(string path)
    {
        int fd = SocketNative.Socket(SocketNative.AF_UNIX, SocketNative.SOCK_STREAM, 0);
        Assert.True(fd >= 0);
        var address = new UnixDomainSocketEndPoint(path).Serialize();
        fixed (byte* p = address.Buffer.Span) Assert.Equal(0, SocketNative.Bind(fd, p, address.Size));
        LibC.Close(fd);
    }

    /// <summary>A process id that is not in use (above every pid on this machine; Linux caps pid_max at 2^22).</summary>
    private static int DeadPid()
    {
        for (int pid = 4_194_000; ; pid++)
            if (!Directory.Exists($"/proc/{pid}")) return pid;
    }
}
