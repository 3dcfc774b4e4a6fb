using System.Net;
using Twine.Net;
using Twine.Testing;
using Twine.Net.Endpoints;

// Not Twine.Tests.Net.Endpoints: that namespace would hide the Endpoints class in these files.
namespace Twine.Tests.Net;

/// <summary>Endpoint description strings (EP1–EP4), checked against a MemoryReactor: Twisted's ParserTests, ServerStringTests, ClientStringTests.</summary>
public sealed class EndpointParserTests
{
    private readonly MemoryReactor _reactor = new();

    // ---- EP1: the tokenizer ----

    [Fact]
    public void EP1_PositionalAndKeywordSegments()
    {
        var parsed = Endpoints.Parse("a:b:d=1:c");
        Assert.Equal(["a", "b", "c"], parsed.Positional);
        Assert.Equal(new Dictionary<string, string> { ["d"] = "1" }, parsed.Keywords);
    }

    [Fact]
    public void EP1_EmptySegmentsArePositional()
    {
        Assert.Equal(["a", "", "b"], Endpoints.Parse("a::b").Positional);
        Assert.Equal([""], Endpoints.Parse("").Positional);
        Assert.Equal(["tcp", ""], Endpoints.Parse("tcp:").Positional);
    }

    [Fact]
    public void EP1_Escapes()
    {
        // Twisted's test_escape: r"foo:bar\=baz\:qux\\" is ("foo", ["bar=baz:qux\\"], {}).
        var parsed = Endpoints.Parse(@"foo:bar\=baz\:qux\\");
        Assert.Equal(["foo", @"bar=baz:qux\"], parsed.Positional);
        Assert.Empty(parsed.Keywords);
        Assert.Equal(["x", "a"], Endpoints.Parse(@"x:\a").Positional);   // any character may be escaped
    }

    [Fact]
    public void EP1_OnlyTheFirstEqualsSeparates()
    {
        // test_impliedEscape: r"foo:bar=baz=qux" is ("foo", [], {"bar": "baz=qux"}).
        var parsed = Endpoints.Parse("foo:bar=baz=qux");
        Assert.Equal(["foo"], parsed.Positional);
        Assert.Equal("baz=qux", parsed.Keywords["bar"]);
        Assert.Equal("", Endpoints.Parse("foo:a=").Keywords["a"]);
        Assert.Equal("b", Endpoints.Parse("foo:=b").Keywords[""]);
        Assert.Equal("2", Endpoints.Parse("foo:a=1:a=2").Keywords["a"]);   // the last one wins
    }

    [Fact]
    public void EP1_AnUnfinishedEscapeIsAnError()
    {
        Assert.Throws<ArgumentException>(() => Endpoints.Parse(@"tcp:80\"));
    }

    [Fact]
    public void EP1_QuoteStringArgumentEscapesOnlyBackslashAndColon()
    {
        Assert.Equal(@"some \: stuff \\ = ", Endpoints.QuoteStringArgument(@"some : stuff \ = "));
        var quoted = Endpoints.QuoteStringArgument(@"C:\path");
        Assert.Equal(@"C:\path", Endpoints.Parse("unix:" + quoted).Positional[1]);
    }

    // ---- EP2: server strings ----

    [Fact]
    public void EP2_SimpleTcp()
    {
        var e = Assert.IsType<Tcp4ServerEndpoint>(Endpoints.Server(_reactor, "tcp:80"));
        Assert.Equal((80, ListenBacklog.Default, ""), (e.Port, e.Backlog, e.Interface));
    }

    [Fact]
    public void EP2_TcpWithInterfaceBacklogAndPortKeyword()
    {
        var e = (Tcp4ServerEndpoint)Endpoints.Server(_reactor, "tcp:1234:backlog=12:interface=10.0.0.1");
        Assert.Equal((1234, 12, "10.0.0.1"), (e.Port, e.Backlog, e.Interface));
        var k = (Tcp4ServerEndpoint)Endpoints.Server(_reactor, "tcp:port=1234:interface=127.0.0.1");
        Assert.Equal((1234, "127.0.0.1"), (k.Port, k.Interface));
    }

    [Fact]
    public void EP2_ServerTypesAreCaseSensitive()
    {
        var e = Assert.Throws<ArgumentException>(() => Endpoints.Server(_reactor, "TCP:80"));
        Assert.Equal("Unknown endpoint type: 'tcp'", e.Message);
    }

    [Fact]
    public void EP2_UnknownServerType()
    {
        var e = Assert.Throws<ArgumentException>(() => Endpoints.Server(_reactor, "ftl:andromeda/carcosa/hali/2387"));
        Assert.Equal("Unknown endpoint type: 'ftl'", e.Message);
    }

    [Fact]
    public void EP2_BadTcpArgumentsAreErrors()
    {
        Assert.Throws<ArgumentException>(() => Endpoints.Server(_reactor, "tcp:80:foo=bar"));          // unknown keyword
        Assert.Throws<ArgumentException>(() => Endpoints.Server(_reactor, "tcp:eighty"));              // not an int
        Assert.Throws<ArgumentException>(() => Endpoints.Server(_reactor, "tcp"));                     // no port
        Assert.Throws<ArgumentException>(() => Endpoints.Server(_reactor, "tcp:80:port=81"));          // port twice
        Assert.Throws<ArgumentException>(() => Endpoints.Server(_reactor, "tcp:80:0.0.0.0:5:extra")); // too many
        Assert.Equal(1_000, ((Tcp4ServerEndpoint)Endpoints.Server(_reactor, "tcp: +1_000 ")).Port);   // Python int()
    }

    [Fact]
    public void EP2_SimpleUnixWantsALockFileByDefault()
    {
        var e = Assert.IsType<UnixServerEndpoint>(Endpoints.Server(_reactor, "unix:/var/foo/bar"));
        Assert.Equal(("/var/foo/bar", ListenBacklog.Default, Convert.ToInt32("666", 8), true), (e.Address, e.Backlog, e.Mode, e.WantPid));
    }

    [Fact]
    public void EP2_UnixModeBacklogLockfileAndAddressKeyword()
    {
        var e = (UnixServerEndpoint)Endpoints.Server(_reactor, "unix:/var/foo/bar:backlog=7:mode=0123:lockfile=1");
        Assert.Equal(("/var/foo/bar", 7, Convert.ToInt32("123", 8), true), (e.Address, e.Backlog, e.Mode, e.WantPid));
        Assert.Equal(Convert.ToInt32("660", 8), ((UnixServerEndpoint)Endpoints.Server(_reactor, "unix:/var/foo/bar:mode=0660")).Mode);
        Assert.False(((UnixServerEndpoint)Endpoints.Server(_reactor, "unix:/var/foo/bar:lockfile=0")).WantPid);
        Assert.Equal("/x", ((UnixServerEndpoint)Endpoints.Server(_reactor, "unix:address=/x")).Address);
        Assert.Throws<ArgumentException>(() => Endpoints.Server(_reactor, "unix:/x:mode=999"));   // not octal
    }

    [Fact]
    public void EP2_Tcp6IsAPluginMatchedCaseInsensitivelyWithEscapedColons()
    {
        var e = Assert.IsType<Tcp6ServerEndpoint>(Endpoints.Server(_reactor, @"tcp6:8080:interface=\:\:1"));
        Assert.Equal((8080, ListenBacklog.Default, "::1"), (e.Port, e.Backlog, e.Interface));
        var d = Assert.IsType<Tcp6ServerEndpoint>(Endpoints.Server(_reactor, "TCP6:8080:backlog=5"));
        Assert.Equal((5, "::"), (d.Backlog, d.Interface));
    }

    [Fact]
    public void EP2_SslChecksItsArgumentsAndReadsTheFilesAtOnce()
    {
        // A wrong description is reported as such, and a missing file is named (the TLS tests cover working ones).
        Assert.Throws<ArgumentException>(() => Endpoints.Server(_reactor, "ssl:443:privatekey=key.pem"));
        Assert.Throws<ArgumentException>(() => Endpoints.Server(_reactor, "SSL:443"));   // server types are case-sensitive
        var e = Assert.Throws<ArgumentException>(() => Endpoints.Server(_reactor, "ssl:443:privateKey=/nonexistent/key.pem:certKey=/nonexistent/cert.pem"));
        Assert.Contains("/nonexistent/cert.pem", e.Message);
    }

    // ---- EP3: client strings ----

    [Fact]
    public void EP3_TcpKeywords()
    {
        var e = Assert.IsType<Tcp4ClientEndpoint>(Endpoints.Client(_reactor, "tcp:host=example.com:port=1234:timeout=7:bindAddress=10.0.0.2"));
        Assert.Equal(("example.com", 1234, TimeSpan.FromSeconds(7)), (e.Host, e.Port, e.Timeout));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.2"), 0), e.BindAddress);
    }

    [Theory]
    [InlineData("tcp:example.com:1234:timeout=7:bindAddress=10.0.0.2")]
    [InlineData("tcp:example.com:port=1234:timeout=7:bindAddress=10.0.0.2")]
    [InlineData("tcp:host=example.com:1234:timeout=7:bindAddress=10.0.0.2")]
    [InlineData("TCP:example.com:1234:timeout=7:bindAddress=10.0.0.2")]
    [InlineData("tCp:example.com:1234:timeout=7:bindAddress=10.0.0.2")]
    public void EP3_TcpPositionalKeywordOrMixedAndAnyCase(string description)
    {
        var e = Assert.IsType<Tcp4ClientEndpoint>(Endpoints.Client(_reactor, description));
        Assert.Equal(("example.com", 1234, TimeSpan.FromSeconds(7)), (e.Host, e.Port, e.Timeout));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.2"), 0), e.BindAddress);
    }

    [Fact]
    public void EP3_TcpDefaults()
    {
        var e = (Tcp4ClientEndpoint)Endpoints.Client(_reactor, "tcp:host=example.com:port=1234");
        Assert.Equal(TimeSpan.FromSeconds(30), e.Timeout);
        Assert.Null(e.BindAddress);
    }

    [Fact]
    public void EP3_TcpMistakes()
    {
        Assert.Throws<ArgumentException>(() => Endpoints.Client(_reactor, "tcp:host=example.com"));          // no port
        Assert.Throws<ArgumentException>(() => Endpoints.Client(_reactor, "tcp:example.com"));               // no port
        Assert.Throws<ArgumentException>(() => Endpoints.Client(_reactor, "tcp:example.com:80:nope=1"));     // unknown keyword
        Assert.Throws<ArgumentException>(() => Endpoints.Client(_reactor, "tcp:example.com:http"));          // not an int
        // Twisted's quirk: with three positionals none is taken, so host and port must come as keywords.
        var e = (Tcp4ClientEndpoint)Endpoints.Client(_reactor, "tcp:a:b:c:host=example.com:port=9");
        Assert.Equal(("example.com", 9), (e.Host, e.Port));
    }

    [Fact]
    public void EP3_Unix()
    {
        var e = Assert.IsType<UnixClientEndpoint>(Endpoints.Client(_reactor, "unix:path=/var/foo/bar:lockfile=1:timeout=9"));
        Assert.Equal(("/var/foo/bar", TimeSpan.FromSeconds(9), true), (e.Path, e.Timeout, e.CheckPid));
        var p = (UnixClientEndpoint)Endpoints.Client(_reactor, "UNIX:/var/foo/bar:lockfile=1:timeout=9");
        Assert.Equal(("/var/foo/bar", TimeSpan.FromSeconds(9), true), (p.Path, p.Timeout, p.CheckPid));
        var d = (UnixClientEndpoint)Endpoints.Client(_reactor, "unix:path=/var/foo/bar");
        Assert.Equal((TimeSpan.FromSeconds(30), false), (d.Timeout, d.CheckPid));
        Assert.False(((UnixClientEndpoint)Endpoints.Client(_reactor, "unix:/x:lockfile=0")).CheckPid);
        Assert.Throws<ArgumentException>(() => Endpoints.Client(_reactor, "unix:lockfile=1"));   // no path
    }

    [Fact]
    public void EP3_UnknownClientType()
    {
        var e = Assert.Throws<ArgumentException>(() => Endpoints.Client(_reactor, "FOO:bar"));
        Assert.Equal("Unknown endpoint type: 'foo'", e.Message);
    }

    [Fact]
    public void EP3_SslAndTlsCheckTheirArgumentsAndWrapTcp()
    {
        var tls = Assert.IsType<TlsClientEndpoint>(Endpoints.Client(_reactor, "tls:example.com:443:timeout=10"));
        // tls: connects to each address the name resolves to in turn (HE1).
        var tcp = Assert.IsType<HostnameEndpoint>(tls.Inner);
        Assert.Equal(("example.com", 443, TimeSpan.FromSeconds(10)), (tcp.Host, tcp.Port, tcp.Timeout));
        Assert.Equal("example.com", tls.Options.HostName);
        // With a bound source address there is one family, so TCP's own endpoint does it.
        Assert.IsType<Tcp4ClientEndpoint>(Assert.IsType<TlsClientEndpoint>(
            Endpoints.Client(_reactor, "tls:example.com:443:bindAddress=127.0.0.1")).Inner);
        Assert.IsType<TlsClientEndpoint>(Endpoints.Client(_reactor, "TLS:host=example.com:port=443"));
        var ssl = Assert.IsType<TlsClientEndpoint>(Endpoints.Client(_reactor, "SSL:example.net:4321:hostname=other.example"));
        Assert.Equal("other.example", ssl.Options.HostName);
        Assert.Throws<ArgumentException>(() => Endpoints.Client(_reactor, "tls:example.com:443:bogus=1"));   // unrecognized keyword
        Assert.Throws<ArgumentException>(() => Endpoints.Client(_reactor, "tls:example.com"));               // no port
        Assert.Contains("/nonexistent/ca.pem", Assert.Throws<ArgumentException>(() =>
            Endpoints.Client(_reactor, "tls:example.com:443:trustRoots=/nonexistent/ca.pem")).Message);
        Assert.Throws<ArgumentException>(() =>
            Endpoints.Client(_reactor, "ssl:host=example.net:port=4321:privateKey=k.pem:certKey=c.pem:caCertsDir=/c:hostname=x"));
    }

    // ---- EP4: the registry ----

    [Fact]
    public void EP4_RegisteredParsersAreFoundCaseInsensitively()
    {
        var parsers = new EndpointParsers();
        var server = new FakeServer();
        parsers.Register(new FakeServerParser(server));
        parsers.Register(new FakeClientParser());
        Assert.Same(server, Endpoints.Server(_reactor, "Fake:one:two=2", parsers));
        var client = Assert.IsType<FakeClient>(Endpoints.Client(_reactor, "FAKE:x:y=z", parsers));
        Assert.Same(_reactor, client.Reactor);
        Assert.Equal(["x"], client.Arguments.Positional);
        Assert.Equal("z", client.Arguments.Keywords["y"]);
        // The default registry is untouched.
        Assert.Throws<ArgumentException>(() => Endpoints.Server(_reactor, "fake:one"));
    }

    [Fact]
    public void EP4_TlsTypesCanBeReplacedButTcpAndUnixCannot()
    {
        var parsers = new EndpointParsers();
        parsers.Register(new FakeClientParser("tls"));
        Assert.IsType<FakeClient>(Endpoints.Client(_reactor, "tls:example.com:443", parsers));
        var server = new FakeServer();
        parsers.Register(new FakeServerParser(server, "ssl"));
        Assert.Same(server, Endpoints.Server(_reactor, "ssl:443", parsers));
        Assert.Throws<ArgumentException>(() => parsers.Register(new FakeServerParser(server, "tcp")));
        Assert.Throws<ArgumentException>(() => parsers.Register(new FakeClientParser("UNIX")));
    }

    private sealed class FakeServer : IStreamServerEndpoint
    {
        public Twine.Defer.Deferred<IListeningPort> Listen(IProtocolFactory factory) => throw new InvalidOperationException();
    }

    private sealed class FakeServerParser(FakeServer server, string prefix = "fake") : IStreamServerEndpointStringParser
    {
        public string Prefix => prefix;
        public IStreamServerEndpoint ParseStreamServer(IReactorStreamSockets reactor, EndpointArguments arguments) => server;
    }

    private sealed class FakeClient(IReactorStreamSockets reactor, EndpointArguments arguments) : IStreamClientEndpoint
    {
        public object Reactor => reactor;
        public EndpointArguments Arguments => arguments;
        public Twine.Defer.Deferred<IProtocol> Connect(IProtocolFactory factory) => throw new InvalidOperationException();
    }

    private sealed class FakeClientParser(string prefix = "fake") : IStreamClientEndpointStringParser
    {
        public string Prefix => prefix;
        public IStreamClientEndpoint ParseStreamClient(IReactorStreamSockets reactor, EndpointArguments arguments) => new FakeClient(reactor, arguments);
    }
}
