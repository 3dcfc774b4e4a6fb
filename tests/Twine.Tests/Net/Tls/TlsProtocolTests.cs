using System.Security.Authentication;
using System.Text;
using Twine.Defer;
using Twine.Net;
using Twine.Net.Tls;
using Twine.Testing;
using Twine.Tests.Net.Tcp;

namespace Twine.Tests.Net.Tls;

/// <summary>The TLS layer over Twine.Testing's in-memory pump: no sockets, no threads, no time.</summary>
public sealed class TlsProtocolTests
{
    internal static TlsServerOptions ServerOptions() => new(TestCertificates.Localhost);

    internal static TlsClientOptions ClientOptions(string host = "localhost") =>
        new() { HostName = host, TrustRoots = TestCertificates.Roots };

    internal static ConnectedPair<TlsProtocol, TlsProtocol> Connect(IProtocol server, IProtocol client,
        TlsServerOptions? serverOptions = null, TlsClientOptions? clientOptions = null) =>
        LoopbackPump.Connect(TlsProtocol.ForServer(server, serverOptions ?? ServerOptions()),
            TlsProtocol.ForClient(client, clientOptions ?? ClientOptions()));

    [Fact]
    public void TLS9_DataFlowsBothWaysAfterTheHandshake()
    {
        var server = new EchoProtocol();
        var client = new RecordingProtocol { OnMade = p => p.Transport.Write("hello over tls"u8) };
        var pair = Connect(server, client);

        Assert.True(pair.Server.IsHandshakeComplete);
        Assert.True(pair.Client.IsHandshakeComplete);
        Assert.Equal("hello over tls", Encoding.ASCII.GetString(server.Received));
        Assert.Equal("hello over tls", Encoding.ASCII.GetString(client.Received));
        Assert.Equal(SslProtocols.Tls13, pair.Client.NegotiatedProtocol);
        Assert.Equal("localhost", pair.Server.ServerName);
        Assert.Equal(TestCertificates.Localhost.Thumbprint, pair.Client.PeerCertificate!.Thumbprint);
    }

    [Fact]
    public void TheWireCarriesCiphertextNotPlaintext()
    {
        var secret = "attack at dawn, attack at dawn"u8.ToArray();
        var seen = new MemoryStream();
        var server = new RecordingProtocol();
        var client = new RecordingProtocol();
        var pair = Connect(server, client);
        client.Transport.Write(secret);
        seen.Write(BitConverter.GetBytes(pair.ClientTransport.PendingOutgoing));
        Assert.True(pair.ClientTransport.PendingOutgoing > secret.Length);   // record header + tag
        pair.Flush();
        Assert.Equal(secret, server.Received);
    }

    [Fact]
    public void CallbacksRunOnTheCallingThreadInsideTheCall()
    {
        var thread = Environment.CurrentManagedThreadId;
        var threads = new List<int>();
        var server = new RecordingProtocol { OnData = (_, _) => threads.Add(Environment.CurrentManagedThreadId) };
        var client = new RecordingProtocol();
        var pair = Connect(server, client);
        client.Transport.Write("x"u8);
        pair.Pump.Pump();   // one round: moved and delivered, decrypted inside the same call
        Assert.Equal("x", Encoding.ASCII.GetString(server.Received));
        Assert.All(threads, t => Assert.Equal(thread, t));
    }

    [Fact]
    public void TLS1_WritesBeforeTheHandshakeAreSentAfterIt()
    {
        var server = new RecordingProtocol { OnMade = p => p.Transport.Write("early "u8) };
        var client = new RecordingProtocol { OnMade = p => { p.Transport.Write("one "u8); p.Transport.Write("two"u8); } };
        var pair = LoopbackPump.Connect(TlsProtocol.ForServer(server, ServerOptions()), TlsProtocol.ForClient(client, ClientOptions()), greet: false);
        Assert.False(pair.Client.IsHandshakeComplete);
        Assert.Equal(7, pair.Client.PendingPlaintext);
        pair.Flush();
        Assert.Equal("one two", Encoding.ASCII.GetString(server.Received));
        Assert.Equal("early ", Encoding.ASCII.GetString(client.Received));
        Assert.Equal(0, pair.Client.PendingPlaintext);
    }

    [Fact]
    public void TLS2_LoseConnectionSendsPendingDataThenCloseNotifyAndBothSidesCloseCleanly()
    {
        var server = new RecordingProtocol();
        var client = new RecordingProtocol { OnMade = p => { p.Transport.Write("last words"u8); p.Transport.LoseConnection(); } };
        var pair = Connect(server, client);
        pair.Flush();
        Assert.Equal("last words", Encoding.ASCII.GetString(server.Received));
        Assert.True(client.LostReason!.Check<ConnectionDoneException>(), client.LostReason.ToString());
        Assert.True(server.LostReason!.Check<ConnectionDoneException>(), server.LostReason.ToString());
    }

    [Fact]
    public void TLS3_APeerClosingWithoutCloseNotifyIsATruncationNotACleanClose()
    {
        var server = new RecordingProtocol();
        var client = new RecordingProtocol { OnMade = p => p.Transport.Write("partial"u8) };
        var pair = Connect(server, client);
        // The client's socket closes without TLS's close_notify (a crash, or an attacker cutting the stream).
        pair.ClientTransport.LoseConnection();
        pair.Flush();
        Assert.Equal("partial", Encoding.ASCII.GetString(server.Received));
        var reason = server.LostReason!;
        Assert.True(reason.Check<TlsTruncatedException>(), reason.ToString());
        Assert.False(reason.Check<ConnectionDoneException>());
        Assert.True(reason.Check<ConnectionLostException>());
    }

    [Fact]
    public void AbortReachesBothSidesAsAnUncleanClose()
    {
        var server = new RecordingProtocol();
        var client = new RecordingProtocol();
        var pair = Connect(server, client);
        client.Transport.Write("dropped"u8);
        client.Transport.AbortConnection();
        pair.Flush();
        Assert.True(client.LostReason!.Check<ConnectionAbortedException>());
        Assert.True(server.LostReason!.Check<ConnectionLostException>());
        Assert.False(server.LostReason.Check<ConnectionDoneException>());
        Assert.Empty(server.Received);
    }

    [Fact]
    public void TLS1_AlpnIsNegotiatedAndReadableFromTheTransportWhenTheHandshakeListenerHears()
    {
        var serverOptions = ServerOptions();
        serverOptions.ApplicationProtocols.Add("h2");
        serverOptions.ApplicationProtocols.Add("http/1.1");
        var clientOptions = ClientOptions();
        clientOptions.ApplicationProtocols.Add("http/1.1");
        var server = new HandshakeRecorder();
        var client = new HandshakeRecorder();
        var pair = Connect(server, client, serverOptions, clientOptions);
        Assert.Equal("http/1.1", pair.Server.NegotiatedApplicationProtocol);
        Assert.Equal("http/1.1", ((ITlsTransport)client.Transport).NegotiatedApplicationProtocol);
        Assert.Equal(1, server.Completed);
        Assert.Equal("http/1.1", server.AlpnAtCompletion);
    }

    [Fact]
    public void WithoutAlpnNoProtocolIsReported()
    {
        var pair = Connect(new RecordingProtocol(), new RecordingProtocol());
        Assert.Null(pair.Client.NegotiatedApplicationProtocol);
    }

    [Fact]
    public void SniPicksTheCertificateForTheRequestedHost()
    {
        var other = TestCertificates.Leaf("api.example.test");
        var serverOptions = ServerOptions();
        serverOptions.AddHost("api.example.test", other);
        var pair = Connect(new RecordingProtocol(), new RecordingProtocol(), serverOptions, ClientOptions("api.example.test"));
        Assert.True(pair.Client.IsHandshakeComplete);
        Assert.Equal("api.example.test", pair.Server.ServerName);
        Assert.Equal(other.Thumbprint, pair.Client.PeerCertificate!.Thumbprint);

        var plain = Connect(new RecordingProtocol(), new RecordingProtocol(), serverOptions, ClientOptions("localhost"));
        Assert.Equal(TestCertificates.Localhost.Thumbprint, plain.Client.PeerCertificate!.Thumbprint);
    }

    [Fact]
    public void TlsTwelveCanBeChosen()
    {
        var clientOptions = ClientOptions();
        clientOptions.Protocols = SslProtocols.Tls12;
        var client = new RecordingProtocol { OnMade = p => p.Transport.Write("v1.2"u8) };
        var server = new EchoProtocol();
        var pair = Connect(server, client, clientOptions: clientOptions);
        Assert.Equal(SslProtocols.Tls12, pair.Server.NegotiatedProtocol);
        Assert.Equal("v1.2", Encoding.ASCII.GetString(client.Received));
    }

    [Fact]
    public void TLS10_LargeWritesArriveIntactAcrossManyRecords()
    {
        var data = NetTesting.Pattern(1_000_000);
        var server = new RecordingProtocol();
        var client = new RecordingProtocol { OnMade = p => p.Transport.Write(data) };
        Connect(server, client);
        Assert.Equal(data, server.Received);
    }

    [Fact]
    public void AProtocolThatThrowsClosesOnlyItsConnectionWithItsException()
    {
        var server = new RecordingProtocol { OnData = (_, _) => throw new InvalidOperationException("bad handler") };
        var client = new RecordingProtocol();
        var pair = Connect(server, client);
        client.Transport.Write("boom"u8);
        pair.Flush();
        Assert.IsType<InvalidOperationException>(server.LostReason!.Value);
        Assert.True(client.LostReason!.Check<ConnectionLostException>());
    }

    [Fact]
    public void TLS8_WritesAfterLoseConnectionAreNotSent()
    {
        var server = new RecordingProtocol();
        var client = new RecordingProtocol();
        var pair = Connect(server, client);
        client.Transport.Write("kept"u8);
        client.Transport.LoseConnection();
        client.Transport.Write("dropped"u8);
        pair.Flush();
        Assert.Equal("kept", Encoding.ASCII.GetString(server.Received));
        Assert.True(server.LostReason!.Check<ConnectionDoneException>());
    }

    internal sealed class HandshakeRecorder : RecordingProtocol, ITlsHandshakeListener
    {
        public int Completed { get; private set; }
        public string? AlpnAtCompletion { get; private set; }

        public void HandshakeCompleted()
        {
            Completed++;
            AlpnAtCompletion = ((ITlsTransport)Transport).NegotiatedApplicationProtocol;
        }
    }
}
