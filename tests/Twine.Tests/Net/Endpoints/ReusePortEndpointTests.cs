using Twine.Defer;
using Twine.Net;
using Twine.Net.Endpoints;
using Twine.Protocols;
using Twine.Testing;

// Not Twine.Tests.Net.Endpoints: that namespace would hide the Endpoints class in these files.
namespace Twine.Tests.Net;

/// <summary>Twine's <c>reusePort</c> option on the tcp, tcp6 and ssl server endpoint strings, checked on a MemoryReactor.</summary>
public sealed class ReusePortEndpointTests
{
    private readonly MemoryReactor _reactor = new();

    [Theory]
    [InlineData("tcp:8080:reusePort=true", true)]
    [InlineData("tcp:8080:reusePort=1", true)]
    [InlineData("tcp:8080:reusePort=TRUE", true)]
    [InlineData("tcp:8080:reusePort=false", false)]
    [InlineData("tcp:8080", false)]
    public void TcpTakesReusePort(string description, bool expected)
    {
        var endpoint = Assert.IsType<Tcp4ServerEndpoint>(Endpoints.Server(_reactor, description));
        Assert.Equal(expected, endpoint.ReusePort);
    }

    [Fact]
    public void Tcp6TakesReusePort()
    {
        var endpoint = Assert.IsType<Tcp6ServerEndpoint>(Endpoints.Server(_reactor, @"tcp6:8080:interface=\:\:1:reusePort=true"));
        Assert.True(endpoint.ReusePort);
        Assert.Equal("::1", endpoint.Interface);
    }

    [Theory]
    [InlineData("tcp:8080:reusePort=maybe")]
    [InlineData("tcp:8080:reusePort=")]
    [InlineData("tcp6:8080:reusePort=2")]
    public void ANonBooleanReusePortIsAClearError(string description)
    {
        var e = Assert.Throws<ArgumentException>(() => Endpoints.Server(_reactor, description));
        Assert.Contains("reusePort must be true or false", e.Message);
    }

    [Fact]
    public void ListeningPassesTheOptionToTheReactor()
    {
        var factory = Factory.ForProtocol<Echo>();
        _ = Endpoints.Server(_reactor, "tcp:8080:interface=127.0.0.1:backlog=7:reusePort=true").Listen(factory);
        var options = Assert.Single(_reactor.TcpServerOptions);
        Assert.Equal(new TcpListenOptions { Backlog = 7, Interface = "127.0.0.1", ReusePort = true }, options);
        Assert.Equal((8080, (IProtocolFactory)factory, 7, "127.0.0.1"), Assert.Single(_reactor.TcpServers));
    }

    [Fact]
    public void WithoutReusePortTheClassicOverloadIsUsed()
    {
        _ = Endpoints.Server(_reactor, "tcp:8080").Listen(Factory.ForProtocol<Echo>());
        Assert.Single(_reactor.TcpServers);
        Assert.Empty(_reactor.TcpServerOptions);
    }

    [Fact]
    public void AReactorThatCannotShareAPortSaysSo()
    {
        var reactor = new PlainTcpReactor();
        var failure = Endpoints.Server(new Tcp4ServerEndpointHost(reactor), "tcp:8080:reusePort=true").Listen(Factory.ForProtocol<Echo>());
        Assert.True(failure.Called);
        var error = Assert.IsType<NotSupportedException>(failure.Result.Failure!.Value);
        Assert.Contains("SO_REUSEPORT", error.Message);
        // The same reactor still listens when the option is not asked for.
        var port = ((IReactorTcp)reactor).ListenTcp(8080, Factory.ForProtocol<Echo>(), new TcpListenOptions { Backlog = 3 });
        Assert.NotNull(port);
        Assert.Equal(3, reactor.LastBacklog);
    }

    /// <summary>An <see cref="IReactorTcp"/> that implements only the classic overload (the interface's default covers options).</summary>
    private sealed class PlainTcpReactor : IReactorTcp
    {
        private readonly MemoryReactor _inner = new();

        public int LastBacklog { get; private set; }

        public IListeningPort ListenTcp(int port, IProtocolFactory factory, int backlog = 50, string interfaceAddress = "")
        {
            LastBacklog = backlog;
            return _inner.ListenTcp(port, factory, backlog, interfaceAddress);
        }

        public IConnector ConnectTcp(string host, int port, ClientFactory factory, TimeSpan? timeout = null, System.Net.EndPoint? bindAddress = null) =>
            _inner.ConnectTcp(host, port, factory, timeout, bindAddress);
    }

    /// <summary>The stream-sockets role over <see cref="PlainTcpReactor"/> (Unix calls go to a MemoryReactor).</summary>
    private sealed class Tcp4ServerEndpointHost(IReactorTcp tcp) : IReactorStreamSockets
    {
        private readonly MemoryReactor _unix = new();

        public IListeningPort ListenTcp(int port, IProtocolFactory factory, int backlog = 50, string interfaceAddress = "") =>
            tcp.ListenTcp(port, factory, backlog, interfaceAddress);

        public IListeningPort ListenTcp(int port, IProtocolFactory factory, TcpListenOptions options) => tcp.ListenTcp(port, factory, options);

        public IConnector ConnectTcp(string host, int port, ClientFactory factory, TimeSpan? timeout = null, System.Net.EndPoint? bindAddress = null) =>
            tcp.ConnectTcp(host, port, factory, timeout, bindAddress);

        public IListeningPort ListenUnix(string path, IProtocolFactory factory, int backlog = 50, int mode = 0x1B6, bool wantPid = false) =>
            _unix.ListenUnix(path, factory, backlog, mode, wantPid);

        public IConnector ConnectUnix(string path, ClientFactory factory, TimeSpan? timeout = null, bool checkPid = false) =>
            _unix.ConnectUnix(path, factory, timeout, checkPid);
    }
}
