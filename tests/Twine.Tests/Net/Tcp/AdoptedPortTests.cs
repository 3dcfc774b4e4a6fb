using System.Net;
using System.Net.Sockets;
using Twine.Net;
using Twine.Protocols;
using Twine.Reactors;

namespace Twine.Tests.Net.Tcp;

/// <summary>
/// <see cref="Reactor.AdoptStreamPort"/> on real sockets made by .NET (a stand-in for systemd or a parent process):
/// the adopted socket accepts and serves, the caller's descriptor stays open, and anything that is not a listening
/// stream socket of the stated family is refused with a message naming the problem (AD1, AD2).
/// </summary>
public sealed class AdoptedPortTests
{
    private static Socket ListeningTcp()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen(16);
        return socket;
    }

    private static int Fd(Socket socket) => (int)socket.Handle;

    /// <summary>Connects with a blocking .NET client on a worker thread, sends a line, and returns what came back.</summary>
    private static string EchoThrough(Reactor reactor, EndPoint server)
    {
        string? echoed = null;
        Exception? error = null;
        reactor.CallWhenRunning(() => _ = reactor.DeferToThread(() =>
        {
            using var client = new Socket(server.AddressFamily, SocketType.Stream, server.AddressFamily == AddressFamily.Unix ? ProtocolType.Unspecified : ProtocolType.Tcp);
            client.Connect(server);
            client.Send("adopted\n"u8);
            var buffer = new byte[64];
            int total = 0;
            while (total < 8)
            {
                int n = client.Receive(buffer.AsSpan(total));
                if (n == 0) break;
                total += n;
            }
            return System.Text.Encoding.ASCII.GetString(buffer, 0, total);
        }).AddBoth(outcome =>
        {
            if (outcome.Succeeded) echoed = outcome.Value; else error = outcome.Failure!.Value;
            reactor.Stop();
        }));
        NetTesting.Run(reactor);
        Assert.Null(error);
        return echoed!;
    }

    [Theory]
    [MemberData(nameof(NetTesting.NativeBackends), MemberType = typeof(NetTesting))]
    public void AD1_AnAdoptedTcpSocketAcceptsAndServes(NetSetup backend)
    {
        using var listening = ListeningTcp();
        using var reactor = NetTesting.Create(backend);
        var port = reactor.AdoptStreamPort(Fd(listening), AddressFamily.InterNetwork, Factory.ForProtocol<Echo>());
        Assert.Equal(listening.LocalEndPoint, port.Host);
        Assert.Equal("adopted\n", EchoThrough(reactor, listening.LocalEndPoint!));
    }

    [Fact]
    public void AD2_TheCallerKeepsItsDescriptorAndCanAdoptItAgain()
    {
        using var listening = ListeningTcp();
        using var reactor = NetTesting.Create(ReactorBackend.Epoll);
        var factory = Factory.ForProtocol<Echo>();
        var first = reactor.AdoptStreamPort(Fd(listening), AddressFamily.InterNetwork, factory);
        first.StopListening();
        // The reactor closed only its duplicate: the original is still a listening socket, so it can be adopted again.
        Assert.True(listening.IsBound);
        var second = reactor.AdoptStreamPort(Fd(listening), AddressFamily.InterNetwork, factory);
        Assert.Equal("adopted\n", EchoThrough(reactor, listening.LocalEndPoint!));
        second.StopListening();
    }

    [Fact]
    public void AD1_AnAdoptedUnixSocketServesAndItsFileIsLeftAlone()
    {
        var path = Path.Combine(Path.GetTempPath(), $"twine-adopt-{Guid.NewGuid():N}.sock");
        try
        {
            using var listening = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listening.Bind(new UnixDomainSocketEndPoint(path));
            listening.Listen(4);
            using var reactor = NetTesting.Create(ReactorBackend.Epoll);
            var port = reactor.AdoptStreamPort(Fd(listening), AddressFamily.Unix, Factory.ForProtocol<Echo>());
            Assert.Equal("adopted\n", EchoThrough(reactor, new UnixDomainSocketEndPoint(path)));
            Assert.True(File.Exists(path), "the socket file belongs to whoever bound it");
            _ = port;
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ASocketThatIsNotListeningIsRefused()
    {
        using var bound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        bound.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var reactor = NetTesting.Create(ReactorBackend.Epoll);
        var e = Assert.Throws<ArgumentException>(() => reactor.AdoptStreamPort(Fd(bound), AddressFamily.InterNetwork, Factory.ForProtocol<Echo>()));
        Assert.Contains("not listening", e.Message);
    }

    [Fact]
    public void ADatagramSocketIsRefused()
    {
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        using var reactor = NetTesting.Create(ReactorBackend.Epoll);
        var e = Assert.Throws<ArgumentException>(() => reactor.AdoptStreamPort(Fd(udp), AddressFamily.InterNetwork, Factory.ForProtocol<Echo>()));
        Assert.Contains("not a stream (SOCK_STREAM) socket", e.Message);
    }

    [Fact]
    public void TheWrongFamilyIsRefused()
    {
        using var listening = ListeningTcp();
        using var reactor = NetTesting.Create(ReactorBackend.Epoll);
        var e = Assert.Throws<ArgumentException>(() => reactor.AdoptStreamPort(Fd(listening), AddressFamily.InterNetworkV6, Factory.ForProtocol<Echo>()));
        Assert.Contains("another family (InterNetwork)", e.Message);
    }

    [Fact]
    public void ADescriptorThatIsNoSocketIsRefused()
    {
        var file = Path.GetTempFileName();
        try
        {
            using var stream = File.OpenRead(file);
            using var reactor = NetTesting.Create(ReactorBackend.Epoll);
            int fd = (int)stream.SafeFileHandle.DangerousGetHandle();
            var e = Assert.Throws<ArgumentException>(() => reactor.AdoptStreamPort(fd, AddressFamily.InterNetwork, Factory.ForProtocol<Echo>()));
            Assert.Contains("is not a socket", e.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void AD1_ADescriptorThatIsNotOpenIsRefused()
    {
        using var reactor = NetTesting.Create(ReactorBackend.Epoll);
        // Far above any descriptor limit this process has, so it cannot be open.
        var e = Assert.Throws<ArgumentException>(() => reactor.AdoptStreamPort(int.MaxValue - 1, AddressFamily.InterNetwork, Factory.ForProtocol<Echo>()));
        Assert.Contains("is not an open descriptor", e.Message);
    }

    [Fact]
    public void AD1_AnUnsupportedFamilyIsRefused()
    {
        using var listening = ListeningTcp();
        using var reactor = NetTesting.Create(ReactorBackend.Epoll);
        Assert.Throws<NotSupportedException>(() => reactor.AdoptStreamPort(Fd(listening), AddressFamily.AppleTalk, Factory.ForProtocol<Echo>()));
    }

    [Fact]
    public void TheAdoptEndpointStringServesThroughARealReactor()
    {
        using var listening = ListeningTcp();
        using var reactor = NetTesting.Create(ReactorBackend.Epoll);
        var endpoint = Twine.Net.Endpoints.Endpoints.Server(reactor, $"adopt:fd={Fd(listening)}");
        var port = endpoint.Listen(Factory.ForProtocol<Echo>());
        Assert.True(port.Result.Succeeded);
        Assert.Equal("adopted\n", EchoThrough(reactor, listening.LocalEndPoint!));
    }
}
