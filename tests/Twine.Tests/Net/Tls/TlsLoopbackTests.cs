using Twine.Reactors;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Twine.Defer;
using Twine.Net;
using Twine.Net.Endpoints;
using Twine.Net.Tls;
using Twine.Tests.Net.Tcp;

namespace Twine.Tests.Net.Tls;


/// <summary>TLS over real loopback sockets and a running reactor, built from endpoint strings.</summary>
public sealed class TlsLoopbackTests : IDisposable
{
    private readonly TestCertificates.PemFiles _pem = new("twine-tls-");

    public void Dispose() => _pem.Dispose();

    private IListeningPort ListenSsl(Reactor reactor, IProtocolFactory factory)
    {
        var endpoint = Endpoints.Server(reactor, $"ssl:0:privateKey={_pem.Key}:certKey={_pem.Cert}:interface=127.0.0.1");
        IListeningPort? port = null;
        endpoint.Listen(factory).AddCallback(p => port = p);
        return port ?? throw new InvalidOperationException("did not listen");
    }

    private IStreamClientEndpoint TlsClient(Reactor reactor, IListeningPort port, string host = "localhost") =>
        Endpoints.Client(reactor, $"tls:host={host}:port={((IPEndPoint)port.Host).Port}:trustRoots={_pem.Ca}"
            + (host == "localhost" ? "" : @":endpoint=tcp\:127.0.0.1\:" + ((IPEndPoint)port.Host).Port));

    [Fact]
    public void EchoThroughSslAndTlsEndpointStringsWithEveryCallbackOnTheReactorThread()
    {
        using var offThreadContinuations = new Twine.Tests.Reactors.ReactorTesting.LogCapture("TLS continuation");
        using var reactor = NetTesting.Create(Twine.Reactors.ReactorBackend.Epoll);
        var offThread = new List<string>();
        void Check(string where)
        {
            if (!reactor.IsInReactorThread) offThread.Add(where);
        }

        EchoProtocol? server = null;
        var port = ListenSsl(reactor, Factory.ForProtocol(() =>
        {
            server = new EchoProtocol { OnData = (_, _) => Check("server data"), OnLost = (_, _) => Check("server lost") };
            return server;
        }));
        var client = new RecordingProtocol();
        client.OnMade = p => { Check("client made"); p.Transport.Write("ping over tls"u8); };
        client.OnData = (p, _) =>
        {
            Check("client data");
            if (p.ReceivedCount == 13) p.Transport.LoseConnection();
        };
        client.OnLost = (_, _) =>
        {
            Check("client lost");
            reactor.CallLater(TimeSpan.FromMilliseconds(1), reactor.Stop);
        };
        reactor.CallWhenRunning(() => Endpoints.ConnectProtocol(TlsClient(reactor, port), client));
        NetTesting.Run(reactor);

        Assert.Equal("ping over tls", Encoding.ASCII.GetString(client.Received));
        Assert.True(client.LostReason!.Check<ConnectionDoneException>(), client.LostReason.ToString());
        Assert.NotNull(server);
        Assert.Empty(offThread);
        Assert.Empty(offThreadContinuations.Events);
        var tls = Assert.IsAssignableFrom<ITlsTransport>(client.Transport);
        Assert.Equal("localhost", tls.ServerName);
    }

    [Fact]
    public void PlaintextFromOneClientClosesOnlyThatConnectionAndTheServerKeepsServing()
    {
        using var reactor = NetTesting.Create(Twine.Reactors.ReactorBackend.Epoll);
        var servers = new List<RecordingProtocol>();
        var port = ListenSsl(reactor, Factory.ForProtocol(() =>
        {
            var s = new EchoProtocol();
            servers.Add(s);
            return s;
        }));
        int portNumber = ((IPEndPoint)port.Host).Port;

        var rude = new RecordingProtocol { OnMade = p => p.Transport.Write("GET / HTTP/1.0\r\n\r\n"u8) };
        var good = new RecordingProtocol { OnMade = p => p.Transport.Write("still here?"u8) };
        good.OnData = (p, _) => { if (p.ReceivedCount == 11) p.Transport.LoseConnection(); };
        int lost = 0;
        void OneLost(RecordingProtocol _, Failure __)
        {
            if (++lost == 2) reactor.CallLater(TimeSpan.FromMilliseconds(1), reactor.Stop);
        }
        rude.OnLost = OneLost;
        good.OnLost = OneLost;
        reactor.CallWhenRunning(() =>
        {
            Endpoints.ConnectProtocol(Endpoints.Client(reactor, $"tcp:127.0.0.1:{portNumber}"), rude).AddCallback(_ =>
                Endpoints.ConnectProtocol(TlsClient(reactor, port), good));
        });
        NetTesting.Run(reactor);

        Assert.Equal("still here?", Encoding.ASCII.GetString(good.Received));
        Assert.Equal(2, servers.Count);
        Assert.IsType<TlsProtocolException>(servers[0].LostReason!.Value);
        Assert.True(servers[1].LostReason!.Check<ConnectionDoneException>());
    }

    [Theory]
    [InlineData("sslmethod=TLSv1_METHOD", typeof(NotSupportedException), "insecure")]
    [InlineData("sslmethod=BOGUS", typeof(ArgumentException), "Unknown sslmethod")]
    [InlineData("dhParameters=/nonexistent/dh.pem", typeof(ArgumentException), "dhParameters")]
    [InlineData("extraCertChain=/nonexistent/chain.pem", typeof(ArgumentException), "chain.pem")]
    public void EP2_SslServerOptionsThatCannotWorkAreRefusedWhenParsed(string option, Type exception, string message)
    {
        using var reactor = NetTesting.Create(Twine.Reactors.ReactorBackend.Epoll);
        var e = Assert.Throws(exception, () => Endpoints.Server(reactor, $"ssl:0:privateKey={_pem.Key}:certKey={_pem.Cert}:{option}"));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void EP2_SslServerTakesACombinedPemFileAndAnExtraChain()
    {
        var combined = Path.Combine(_pem.Directory, "combined.pem");
        File.WriteAllText(combined, File.ReadAllText(_pem.Cert) + "\n" + File.ReadAllText(_pem.Key));
        using var reactor = NetTesting.Create(Twine.Reactors.ReactorBackend.Epoll);
        var endpoint = Assert.IsType<TlsServerEndpoint>(Endpoints.Server(reactor, $"ssl:0:privateKey={combined}:extraCertChain={_pem.Ca}:sslmethod=TLSv1_2_METHOD"));
        Assert.Equal(TestCertificates.Localhost.Thumbprint, endpoint.Options.Certificate.Thumbprint);
        Assert.Equal(System.Security.Authentication.SslProtocols.Tls12, endpoint.Options.Protocols);
    }

    [Fact]
    public void AWrongHostNameFailsOnlyThatConnection()
    {
        using var reactor = NetTesting.Create(Twine.Reactors.ReactorBackend.Epoll);
        var port = ListenSsl(reactor, Factory.ForProtocol(() => new RecordingProtocol()));
        var client = new RecordingProtocol { OnLost = (_, _) => reactor.CallLater(TimeSpan.FromMilliseconds(1), reactor.Stop) };
        reactor.CallWhenRunning(() => Endpoints.ConnectProtocol(TlsClient(reactor, port, host: "elsewhere.example"), client));
        NetTesting.Run(reactor);
        var e = Assert.IsType<TlsHostNameMismatchException>(client.LostReason!.Value);
        Assert.Contains("elsewhere.example", e.Message);
    }

    [Fact]
    public void AThousandConcurrentTlsConnectionsEachEchoTheirOwnMessage()
    {
        const int count = 1000;
        using var reactor = NetTesting.Create(Twine.Reactors.ReactorBackend.Epoll);
        // The default backlog (the system's maximum) admits them all at once: no SYN is dropped and retried seconds later.
        var port = ListenSsl(reactor, Factory.ForProtocol(() => new EchoProtocol()));
        int portNumber = ((IPEndPoint)port.Host).Port;
        var options = new TlsClientOptions { HostName = "localhost", TrustRoots = TestCertificates.Roots };
        var clients = new List<RecordingProtocol>();
        int done = 0;
        reactor.CallWhenRunning(() =>
        {
            for (int i = 0; i < count; i++)
            {
                var message = Encoding.ASCII.GetBytes($"client {i:D4}");
                var client = new RecordingProtocol { OnMade = p => p.Transport.Write(message) };
                client.OnData = (p, _) => { if (p.ReceivedCount == message.Length) p.Transport.LoseConnection(); };
                client.OnLost = (_, _) => { if (++done == count) reactor.Stop(); };
                clients.Add(client);
                var endpoint = new TlsClientEndpoint(new Tcp4ClientEndpoint(reactor, "127.0.0.1", portNumber), options);
                // A failed connect counts as finished too, so the run ends and the assertions below say what failed.
                Endpoints.ConnectProtocol(endpoint, client).AddErrback(f => client.ConnectionLost(f));
            }
        });
        // 2,000 handshakes (both ends in this process) take about 12 s of CPU on a busy 2-core machine: the guard is a
        // safety net four times the 30 s of the other tests, not a timing assertion.
        bool tripped = false;
        var guard = reactor.CallLater(TimeSpan.FromSeconds(120), () =>
        {
            tripped = true;
            reactor.Crash();
        });
        reactor.Run();
        if (guard.IsActive) guard.Cancel();
        Assert.False(tripped, $"Only {done} of {count} connections finished before the guard tripped.");
        for (int i = 0; i < count; i++)
        {
            Assert.Equal($"client {i:D4}", Encoding.ASCII.GetString(clients[i].Received));
            Assert.True(clients[i].LostReason!.Check<ConnectionDoneException>(), clients[i].LostReason!.ToString());
        }
    }

    [Fact]
    public void SixtyFourMebibytesToASlowReaderKeepBufferedBytesBounded()
    {
        const long total = 64L * 1024 * 1024;
        using var reactor = NetTesting.Create(Twine.Reactors.ReactorBackend.Epoll);
        long maxServerBuffered = 0;
        int maxClientCiphertext = 0;
        BulkWriter? writer = null;
        var port = ListenSsl(reactor, Factory.ForProtocol(() =>
        {
            writer = new BulkWriter(total, buffered => maxServerBuffered = Math.Max(maxServerBuffered, buffered));
            return writer;
        }));
        var reader = new SlowReader(reactor);
        reader.OnChunk = tls => maxClientCiphertext = Math.Max(maxClientCiphertext, tls.PendingCiphertext);
        reader.Done = () => reactor.CallLater(TimeSpan.FromMilliseconds(1), reactor.Stop);
        reactor.CallWhenRunning(() => Endpoints.ConnectProtocol(TlsClient(reactor, port), reader));
        NetTesting.Run(reactor);

        Assert.Equal(total, reader.Received);
        Assert.Equal(writer!.Checksum, reader.Checksum);
        Assert.True(writer.Pauses > 0);
        // Plaintext waiting in the TLS layer plus ciphertext in the socket's buffer: about the 64 KiB high-water mark
        // plus one write and its records, never anything like the 64 MiB sent.
        Assert.InRange(maxServerBuffered, 1, 512 * 1024);
        Assert.InRange(maxClientCiphertext, 0, 256 * 1024);
    }

    /// <summary>Writes <c>total</c> bytes as a streaming producer, 64 KiB per write, until paused.</summary>
    private sealed class BulkWriter(long total, Action<long> sample) : Protocol, IPushProducer
    {
        private readonly byte[] _chunk = NetTesting.Pattern(64 * 1024);
        private long _sent;
        private bool _paused;
        public int Pauses { get; private set; }
        public long Checksum { get; private set; }

        public override void ConnectionMade()
        {
            Transport.RegisterProducer(this, streaming: true);
            ResumeProducing();
        }

        public void PauseProducing()
        {
            _paused = true;
            Pauses++;
        }

        public void ResumeProducing()
        {
            _paused = false;
            while (!_paused && _sent < total)
            {
                Transport.Write(_chunk);
                foreach (var b in _chunk) Checksum = Checksum * 31 + b;
                _sent += _chunk.Length;
                var tls = (TlsProtocol)Transport;
                sample(tls.PendingPlaintext + tls.UnderlyingBufferedBytes);
            }
            if (_sent >= total)
            {
                Transport.UnregisterProducer();
                Transport.LoseConnection();
            }
        }

        public void StopProducing() => _paused = true;

    }

    /// <summary>Pauses after every delivery and resumes on a later reactor turn.</summary>
    private sealed class SlowReader(Reactor reactor) : Protocol
    {
        public long Received { get; private set; }
        public long Checksum { get; private set; }
        public Action<TlsProtocol>? OnChunk { get; set; }
        public Action? Done { get; set; }

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            foreach (var b in data) Checksum = Checksum * 31 + b;
            Received += data.Length;
            OnChunk?.Invoke((TlsProtocol)Transport);
            Transport.PauseProducing();
            reactor.CallLater(TimeSpan.Zero, Transport.ResumeProducing);
        }

        public override void ConnectionLost(Failure reason)
        {
            Assert.True(reason.Check<ConnectionDoneException>(), reason.ToString());
            Done?.Invoke();
        }
    }
}
