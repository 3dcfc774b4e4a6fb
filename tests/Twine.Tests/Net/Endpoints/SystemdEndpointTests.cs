using System.Collections;
using System.Net.Sockets;
using Twine.Net;
using Twine.Net.Endpoints;
using Twine.Protocols;
using Twine.Testing;

// Not Twine.Tests.Net.Endpoints: that namespace would hide the Endpoints class in these files.
namespace Twine.Tests.Net;

/// <summary>
/// The <c>systemd:</c> and <c>adopt:</c> server endpoint strings and the LISTEN_FDS protocol (SD1, SD2), checked on a
/// MemoryReactor with a made-up environment; Twisted's SystemdEndpointPluginTests and ListenFDsTests.
/// </summary>
public sealed class SystemdEndpointTests
{
    private const int Pid = 4242;
    private readonly MemoryReactor _reactor = new();

    private static EndpointParsers Parsers(IDictionary environment, int pid = Pid)
    {
        var parsers = new EndpointParsers();
        parsers.Register(new SystemdEndpointParser(ListenFds.FromEnvironment(environment, pid)));
        return parsers;
    }

    private static Hashtable Env(string? pid, string? fds, string? names = null)
    {
        var env = new Hashtable { ["PATH"] = "/usr/bin" };
        if (pid is not null) env["LISTEN_PID"] = pid;
        if (fds is not null) env["LISTEN_FDS"] = fds;
        if (names is not null) env["LISTEN_FDNAMES"] = names;
        return env;
    }

    [Theory]
    [InlineData("systemd:domain=INET:index=0", 3, AddressFamily.InterNetwork)]
    [InlineData("systemd:domain=INET6:index=1", 4, AddressFamily.InterNetworkV6)]
    [InlineData("systemd:domain=UNIX:index=2", 5, AddressFamily.Unix)]
    [InlineData("SystemD:index=0:domain=INET", 3, AddressFamily.InterNetwork)]   // a plugin type: any case
    public void SD1_TheIndexPicksAnInheritedDescriptorFromThree(string description, int fd, AddressFamily family)
    {
        var endpoint = Assert.IsType<AdoptedStreamServerEndpoint>(Endpoints.Server(_reactor, description, Parsers(Env("4242", "3"))));
        Assert.Equal(fd, endpoint.FileDescriptor);
        Assert.Equal(family, endpoint.AddressFamily);
    }

    [Fact]
    public void SD1_ListeningAdoptsTheDescriptorThroughTheReactor()
    {
        var factory = Factory.ForProtocol<Echo>();
        var endpoint = Endpoints.Server(_reactor, "systemd:domain=INET:index=1", Parsers(Env("4242", "2")));
        var listening = endpoint.Listen(factory);
        Assert.True(listening.Result.Succeeded);
        Assert.Equal((4, AddressFamily.InterNetwork, (IProtocolFactory)factory), Assert.Single(_reactor.AdoptedPorts));
    }

    [Fact]
    public void SD1_NamesComeFromListenFdNames()
    {
        var parsers = Parsers(Env("4242", "2", "http:https"));
        var endpoint = Assert.IsType<AdoptedStreamServerEndpoint>(Endpoints.Server(_reactor, "systemd:domain=INET:name=https", parsers));
        Assert.Equal(4, endpoint.FileDescriptor);
        var e = Assert.Throws<ArgumentException>(() => Endpoints.Server(_reactor, "systemd:domain=INET:name=admin", parsers));
        Assert.Contains("'admin'", e.Message);
        Assert.Contains("http, https", e.Message);
    }

    [Fact]
    public void SD1_WithoutListenFdNamesEveryDescriptorIsUnknown()
    {
        var fds = ListenFds.FromEnvironment(Env("4242", "2"), Pid);
        Assert.Equal([3, 4], fds.Descriptors);
        Assert.Equal(["unknown", "unknown"], fds.Names);
        Assert.Null(fds.Problem);
    }

    [Theory]
    [InlineData("systemd:domain=INET:index=2", "index 2 is out of range: 2 descriptor(s)")]
    [InlineData("systemd:domain=INET:index=-1", "index -1 is out of range")]
    [InlineData("systemd:domain=INET:index=one", "index")]
    [InlineData("systemd:domain=inet:index=0", "domain must be INET, INET6 or UNIX, not 'inet'")]
    [InlineData("systemd:domain=INET", "exactly one of index= (0 for the first socket) or name=")]
    [InlineData("systemd:domain=INET:index=0:name=web", "exactly one of index=")]
    [InlineData("systemd:index=0", "needs a value for 'domain'")]
    [InlineData("systemd:domain=INET:index=0:port=80", "no parameter 'port'")]
    public void SD1_BadArgumentsAreClearErrors(string description, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => Endpoints.Server(_reactor, description, Parsers(Env("4242", "2"))));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void SD2_DescriptorsForAnotherProcessAreNotOurs()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Endpoints.Server(_reactor, "systemd:domain=INET:index=0", Parsers(Env("999", "1"))));
        Assert.Contains("LISTEN_PID is 999 but this process is 4242", e.Message);
        Assert.Empty(ListenFds.FromEnvironment(Env("999", "1"), Pid).Descriptors);
    }

    [Theory]
    [InlineData(null, null, "LISTEN_PID and LISTEN_FDS are not set")]
    [InlineData("4242", null, "LISTEN_PID is set but LISTEN_FDS is not")]
    [InlineData(null, "1", "LISTEN_FDS is set but LISTEN_PID is not")]
    [InlineData("abc", "1", "LISTEN_PID is 'abc', not a process id")]
    [InlineData("4242", "two", "LISTEN_FDS is 'two', not a count")]
    [InlineData("4242", "-1", "LISTEN_FDS is '-1', not a count")]
    [InlineData("4242", "0", "LISTEN_FDS is 0")]
    [InlineData("4242", "99999999", "more descriptors than")]
    public void SD2_MissingOrMalformedVariablesSayWhy(string? pid, string? fds, string expected)
    {
        var listen = ListenFds.FromEnvironment(Env(pid, fds), Pid);
        Assert.Empty(listen.Descriptors);
        Assert.Contains(expected, listen.Problem);
        var e = Assert.Throws<ArgumentException>(() => Endpoints.Server(_reactor, "systemd:domain=INET:index=0", Parsers(Env(pid, fds))));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void SD2_ReadingAnEnvironmentLeavesItAlone()
    {
        var env = Env("4242", "1");
        _ = ListenFds.FromEnvironment(env, Pid);
        Assert.Equal("1", env["LISTEN_FDS"]);
        Assert.Equal("4242", env["LISTEN_PID"]);
    }

    [Fact]
    public void ANamesListOfTheWrongLengthIsPaddedOrCut()
    {
        Assert.Equal(["a", "unknown", "unknown"], ListenFds.FromEnvironment(Env("4242", "3", "a"), Pid).Names);
        Assert.Equal(["a"], ListenFds.FromEnvironment(Env("4242", "1", "a:b:c"), Pid).Names);
    }

    [Theory]
    [InlineData("adopt:fd=7", 7, AddressFamily.InterNetwork)]
    [InlineData("adopt:7:domain=INET6", 7, AddressFamily.InterNetworkV6)]
    [InlineData("adopt:fd=0:domain=UNIX", 0, AddressFamily.Unix)]
    public void AdoptNamesADescriptorDirectly(string description, int fd, AddressFamily family)
    {
        var endpoint = Assert.IsType<AdoptedStreamServerEndpoint>(Endpoints.Server(_reactor, description));
        Assert.Equal(fd, endpoint.FileDescriptor);
        Assert.Equal(family, endpoint.AddressFamily);
    }

    [Theory]
    [InlineData("adopt:", "fd")]
    [InlineData("adopt:fd=x", "fd")]
    [InlineData("adopt:fd=-3", "fd must be a descriptor number")]
    [InlineData("adopt:fd=3:domain=IPX", "domain must be")]
    public void AdoptRejectsBadArguments(string description, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => Endpoints.Server(_reactor, description));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void AReactorThatCannotAdoptSaysSo()
    {
        var e = Assert.Throws<NotSupportedException>(() => Endpoints.Server(new SocketsOnly(), "adopt:fd=3"));
        Assert.Contains("IReactorSocket", e.Message);
    }

    /// <summary>The stream-sockets role without <see cref="IReactorSocket"/>.</summary>
    private sealed class SocketsOnly : IReactorStreamSockets
    {
        private readonly MemoryReactor _inner = new();

        public IListeningPort ListenTcp(int port, IProtocolFactory factory, int backlog = 50, string interfaceAddress = "") =>
            _inner.ListenTcp(port, factory, backlog, interfaceAddress);

        public IConnector ConnectTcp(string host, int port, ClientFactory factory, TimeSpan? timeout = null, System.Net.EndPoint? bindAddress = null) =>
            _inner.ConnectTcp(host, port, factory, timeout, bindAddress);

        public IListeningPort ListenUnix(string path, IProtocolFactory factory, int backlog = 50, int mode = 0x1B6, bool wantPid = false) =>
            _inner.ListenUnix(path, factory, backlog, mode, wantPid);

        public IConnector ConnectUnix(string path, ClientFactory factory, TimeSpan? timeout = null, bool checkPid = false) =>
            _inner.ConnectUnix(path, factory, timeout, checkPid);
    }
}
