using Twine.Reactors;
using System.Net;
using System.Text;
using Twine.Defer;
using Twine.Interop.Tests.Framing;
using Twine.Interop.Tests.Peers;
using Twine.Net;
using Twine.Net.Endpoints;
using Twine.Net.Tls;
using Twine.Tests.Net.Tls;

namespace Twine.Interop.Tests.Tls;


/// <summary>
/// Twine's TLS against TLS stacks nobody here wrote: Twisted's (pyOpenSSL) in both directions, <c>openssl s_client</c>
/// and <c>s_server</c>, and curl. Certificates are made at test time.
/// </summary>
public sealed class TlsInteropTests : IDisposable
{
    private readonly TestCertificates.PemFiles _pem = new("twine-tls-interop-");

    public void Dispose() => _pem.Dispose();

    private static ChildProcess Python(params string[] args) =>
        new(TwistedPeer.Python, ["-u", Path.Combine(TwistedPeer.PeersDirectory, "tls_peer.py"), .. args], TwistedPeer.PeersDirectory,
            new Dictionary<string, string?> { ["PYTHONNOUSERSITE"] = "1", ["PYTHONPATH"] = null });

    private TlsServerOptions ServerOptions() => TlsServerOptions.FromPemFiles(_pem.Cert, _pem.Key);

    private TlsClientOptions ClientOptions() => new() { HostName = "localhost", TrustRoots = TlsClientOptions.LoadTrustRoots(_pem.Ca) };

    private static int Listen(Reactor reactor, TlsServerOptions options, Func<IProtocol> build) =>
        ((IPEndPoint)reactor.ListenTcp(0, TlsFactory.ForServer(options, new Factory(build) { Noisy = false }), interfaceAddress: "127.0.0.1").Host).Port;

    [Fact]
    public void TwineClientTalksToATwistedTlsServer()
    {
        TwistedPeer.RequireTwisted();
        using var peer = Python("server", _pem.Cert, _pem.Key);
        int port = int.Parse(peer.WaitForLine(l => l.StartsWith("PORT ", StringComparison.Ordinal), "PORT").AsSpan(5));
        using var reactor = InteropReactor.Create();
        var client = new Collector("hello twisted", loseWhenComplete: true) { Stop = () => InteropReactor.StopSoon(reactor) };
        var endpoint = new TlsClientEndpoint(new Tcp4ClientEndpoint(reactor, "127.0.0.1", port), ClientOptions());
        reactor.CallWhenRunning(() => Endpoints.ConnectProtocol(endpoint, client).AddErrback(f => { client.Failed = f; InteropReactor.StopSoon(reactor); }));
        InteropReactor.RunGuarded(reactor, peer.Report);

        Assert.Null(client.Failed);
        Assert.Equal("hello twisted", client.Text);
        Assert.True(client.Lost!.Check<ConnectionDoneException>(), client.Lost.ToString());
        // Twisted saw Twine's close_notify: a clean close on its side too.
        Assert.StartsWith("LOST ConnectionDone", peer.WaitForLine(l => l.StartsWith("LOST", StringComparison.Ordinal), "LOST"));
    }

    [Fact]
    public void TwistedClientTalksToATwineTlsServer()
    {
        TwistedPeer.RequireTwisted();
        using var reactor = InteropReactor.Create();
        Collector? server = null;
        int port = Listen(reactor, ServerOptions(), () => server = new Collector(echo: true) { Stop = () => InteropReactor.StopSoon(reactor) });
        ChildProcess? peer = null;
        reactor.CallWhenRunning(() => peer = Python("client", port.ToString(), _pem.Ca, "localhost", "hello twine"));
        try
        {
            InteropReactor.RunGuarded(reactor, () => peer?.Report() ?? "");
            Assert.Equal("DATA hello twine", peer!.WaitForLine(l => l.StartsWith("DATA", StringComparison.Ordinal), "DATA"));
            Assert.StartsWith("LOST ConnectionDone", peer.WaitForLine(l => l.StartsWith("LOST", StringComparison.Ordinal), "LOST"));
            Assert.True(server!.Lost!.Check<ConnectionDoneException>(), server.Lost.ToString());
            Assert.Equal("hello twine", server.Text);
        }
        finally
        {
            peer?.Dispose();
        }
    }

    [Fact]
    public void ATwistedClientThatClosesWithoutCloseNotifyIsATruncationNotACleanClose()
    {
        TwistedPeer.RequireTwisted();
        using var reactor = InteropReactor.Create();
        Collector? server = null;
        int port = Listen(reactor, ServerOptions(), () => server = new Collector(echo: true) { Stop = () => InteropReactor.StopSoon(reactor) });
        ChildProcess? peer = null;
        reactor.CallWhenRunning(() => peer = Python("truncate", port.ToString(), _pem.Ca, "localhost", "cut short"));
        try
        {
            InteropReactor.RunGuarded(reactor, () => peer?.Report() ?? "");
            Assert.Equal("cut short", server!.Text);
            Assert.IsType<TlsTruncatedException>(server.Lost!.Value);   // TLS3
        }
        finally
        {
            peer?.Dispose();
        }
    }

    [Fact]
    public void OpensslSClientVerifiesAndTalksToATwineServer()
    {
        using var reactor = InteropReactor.Create();
        Collector? server = null;
        var options = ServerOptions();
        options.ApplicationProtocols.Add("twine-test");
        int port = Listen(reactor, options, () => server = new Collector(echo: true, loseAfter: "bye\n") { Stop = () => InteropReactor.StopSoon(reactor) });
        ChildProcess? client = null;
        reactor.CallWhenRunning(() =>
        {
            client = new ChildProcess("openssl", ["s_client", "-connect", $"127.0.0.1:{port}", "-servername", "localhost",
                "-verify_hostname", "localhost", "-CAfile", _pem.Ca, "-verify_return_error", "-alpn", "twine-test", "-quiet"]);
            client.StandardInput.Write("hello openssl\nbye\n");
            client.StandardInput.Flush();
        });
        try
        {
            InteropReactor.RunGuarded(reactor, () => client?.Report() ?? "");
            client!.WaitForExit();
            Assert.True(client.ExitCode == 0, client.Report());
            Assert.Equal(["hello openssl", "bye"], client.Lines);
            Assert.Equal("hello openssl\nbye\n", server!.Text);
            Assert.Equal("twine-test", server.Alpn);
            Assert.Equal("localhost", server.Sni);
        }
        finally
        {
            client?.Dispose();
        }
    }

    [Fact]
    public void TwineClientTalksToOpensslSServer()
    {
        using var server = new ChildProcess("openssl", ["s_server", "-accept", "127.0.0.1:0", "-cert", _pem.Cert, "-key", _pem.Key, "-rev"]);
        var accept = server.WaitForLine(l => l.StartsWith("ACCEPT ", StringComparison.Ordinal), "ACCEPT");
        int port = int.Parse(accept[(accept.LastIndexOf(':') + 1)..]);
        using var reactor = InteropReactor.Create();
        // s_server -rev answers each line reversed.
        var client = new Collector("hello openssl\n", expect: "lssnepo olleh\n", loseWhenComplete: true) { Stop = () => InteropReactor.StopSoon(reactor) };
        var endpoint = new TlsClientEndpoint(new Tcp4ClientEndpoint(reactor, "127.0.0.1", port), ClientOptions());
        reactor.CallWhenRunning(() => Endpoints.ConnectProtocol(endpoint, client).AddErrback(f => { client.Failed = f; InteropReactor.StopSoon(reactor); }));
        InteropReactor.RunGuarded(reactor, server.Report);
        Assert.Null(client.Failed);
        Assert.Contains("lssnepo olleh", client.Text);
        Assert.True(client.Lost!.Check<ConnectionDoneException>(), client.Lost.ToString());
    }

    [Fact]
    public void CurlFetchesFromATinyTwineHttpsResponderAndARefusedCertificateClosesOnlyThatConnection()
    {
        using var reactor = InteropReactor.Create();
        var servers = new List<TinyHttps>();
        var options = ServerOptions();
        options.ApplicationProtocols.Add("http/1.1");
        int port = Listen(reactor, options, () =>
        {
            var s = new TinyHttps();
            servers.Add(s);
            return s;
        });
        (int Code, string Out, string Err) untrusted = default, trusted = default;
        reactor.CallWhenRunning(() =>
        {
            // First without the CA (curl must refuse the certificate), then with it: the server serves the second.
            reactor.DeferToThread(() => Curl(port, cacert: null)).AddCallback(r =>
            {
                untrusted = r;
                return reactor.DeferToThread(() => Curl(port, cacert: _pem.Ca));
            }).AddBoth(o =>
            {
                if (o.Succeeded) trusted = o.Value;
                InteropReactor.StopSoon(reactor);
            });
        });
        InteropReactor.RunGuarded(reactor, () => $"\n{untrusted}\n{trusted}");

        Assert.Equal(60, untrusted.Code);   // CURLE_PEER_FAILED_VERIFICATION
        Assert.True(trusted.Code == 0, trusted.ToString());
        Assert.Equal("hello from twine", trusted.Out);
        Assert.Contains("http/1.1", trusted.Err);
        Assert.Equal(2, servers.Count);
        Assert.IsAssignableFrom<TlsException>(servers[0].Lost!.Value);
        Assert.Equal("http/1.1", servers[1].Alpn);
    }

    private static (int, string, string) Curl(int port, string? cacert)
    {
        string[] args = ["-sS", "-v", "--max-time", "30", "--resolve", $"localhost:{port}:127.0.0.1", .. cacert is null ? Array.Empty<string>() : ["--cacert", cacert], $"https://localhost:{port}/"];
        using var curl = new ChildProcess("curl", args);
        curl.WaitForExit();
        return (curl.ExitCode, string.Join("\n", curl.Lines), curl.Stderr);
    }

    /// <summary>Collects what arrives; optionally echoes, sends a greeting, and closes when the expected text is complete.</summary>
    private sealed class Collector : Protocol, ITlsHandshakeListener
    {
        private readonly StringBuilder _text = new();
        private readonly string? _send;
        private readonly string? _expect;
        private readonly bool _echo;
        private readonly bool _loseWhenComplete;
        private readonly string? _loseAfter;

        public Collector(string? send = null, string? expect = null, bool loseWhenComplete = false, bool echo = false, string? loseAfter = null)
        {
            _send = send;
            _expect = expect ?? send;
            _loseWhenComplete = loseWhenComplete;
            _echo = echo;
            _loseAfter = loseAfter;
        }

        public string Text => _text.ToString();
        public Failure? Lost { get; private set; }
        public Failure? Failed { get; set; }
        public string? Alpn { get; private set; }
        public string? Sni { get; private set; }
        public Action? Stop { get; set; }

        public override void ConnectionMade()
        {
            if (_send is not null) Transport.Write(Encoding.ASCII.GetBytes(_send));
        }

        public void HandshakeCompleted()
        {
            var tls = (ITlsTransport)Transport;
            Alpn = tls.NegotiatedApplicationProtocol;
            Sni = tls.ServerName;
        }

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            _text.Append(Encoding.ASCII.GetString(data));
            if (_echo) Transport.Write(data);
            if (_loseWhenComplete && _expect is not null && _text.Length >= _expect.Length) Transport.LoseConnection();
            if (_loseAfter is not null && Text.EndsWith(_loseAfter, StringComparison.Ordinal)) Transport.LoseConnection();
        }

        public override void ConnectionLost(Failure reason)
        {
            Lost = reason;
            Stop?.Invoke();
        }
    }

    /// <summary>Answers one HTTP/1.1 request with a fixed body, then closes (Connection: close).</summary>
    private sealed class TinyHttps : Protocol, ITlsHandshakeListener
    {
        private readonly StringBuilder _request = new();
        public Failure? Lost { get; private set; }
        public string? Alpn { get; private set; }

        public void HandshakeCompleted() => Alpn = ((ITlsTransport)Transport).NegotiatedApplicationProtocol;

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            _request.Append(Encoding.ASCII.GetString(data));
            if (!_request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal)) return;
            Transport.Write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 16\r\nConnection: close\r\n\r\nhello from twine"u8);
            Transport.LoseConnection();
        }

        public override void ConnectionLost(Failure reason) => Lost = reason;
    }
}
