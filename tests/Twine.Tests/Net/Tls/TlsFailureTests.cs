using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Twine.Net;
using Twine.Net.Tls;
using Twine.Testing;
using Twine.Tests.Net.Tcp;

namespace Twine.Tests.Net.Tls;

/// <summary>Each way a TLS connection can fail ends that connection with its own exception type and a clear message.</summary>
public sealed class TlsFailureTests
{
    private static (RecordingProtocol Server, RecordingProtocol Client) Fail(TlsServerOptions serverOptions, TlsClientOptions clientOptions)
    {
        var server = new RecordingProtocol();
        var client = new RecordingProtocol { OnMade = p => p.Transport.Write("never delivered"u8) };
        var pair = LoopbackPump.Connect(TlsProtocol.ForServer(server, serverOptions), TlsProtocol.ForClient(client, clientOptions));
        pair.Flush();
        Assert.False(pair.Client.IsHandshakeComplete && pair.Server.IsHandshakeComplete);
        Assert.Empty(server.Received);
        Assert.True(pair.ClientTransport.Closed);
        Assert.True(pair.ServerTransport.Closed);
        return (server, client);
    }

    [Fact]
    public void TLS4_WrongHostName()
    {
        var (_, client) = Fail(TlsProtocolTests.ServerOptions(), TlsProtocolTests.ClientOptions("not-localhost.example"));
        var e = Assert.IsType<TlsHostNameMismatchException>(client.LostReason!.Value);
        Assert.Contains("not-localhost.example", e.Message);
        Assert.Equal(System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch, e.PolicyErrors);
    }

    [Fact]
    public void TLS4_UntrustedCertificate()
    {
        var options = new TlsClientOptions { HostName = "localhost", TrustRoots = [X509CertificateLoader.LoadCertificate(TestCertificates.OtherCa.RawData)] };
        var (server, client) = Fail(TlsProtocolTests.ServerOptions(), options);
        var e = Assert.IsType<TlsUntrustedCertificateException>(client.LostReason!.Value);
        Assert.Contains("not trusted", e.Message);
        // In TLS 1.3 the client checks the certificate after sending its Finished, so the server's handshake has
        // completed; it sees the connection end without close_notify: unclean, never a clean close.
        Assert.IsAssignableFrom<TlsException>(server.LostReason!.Value);
    }

    [Fact]
    public void UntrustedByTheOperatingSystemStoreByDefault()
    {
        var (_, client) = Fail(TlsProtocolTests.ServerOptions(), new TlsClientOptions { HostName = "localhost" });
        Assert.IsType<TlsUntrustedCertificateException>(client.LostReason!.Value);
    }

    [Fact]
    public void TLS4_ExpiredCertificate()
    {
        var now = DateTimeOffset.UtcNow;
        var expired = TestCertificates.Leaf("localhost", notBefore: now.AddDays(-30), notAfter: now.AddDays(-1));
        var (_, client) = Fail(new TlsServerOptions(expired), TlsProtocolTests.ClientOptions());
        var e = Assert.IsType<TlsCertificateExpiredException>(client.LostReason!.Value);
        Assert.Contains("expired", e.Message);
        Assert.True(e.ChainStatus.HasFlag(X509ChainStatusFlags.NotTimeValid));
    }

    [Fact]
    public void TLS4_NoSharedProtocolVersion()
    {
        var serverOptions = TlsProtocolTests.ServerOptions();
        serverOptions.Protocols = SslProtocols.Tls13;
        var clientOptions = TlsProtocolTests.ClientOptions();
        clientOptions.Protocols = SslProtocols.Tls12;
        var (server, client) = Fail(serverOptions, clientOptions);
        Assert.IsType<TlsProtocolVersionException>(server.LostReason!.Value);
        Assert.IsAssignableFrom<TlsHandshakeException>(client.LostReason!.Value);
        Assert.Contains("protocol version", server.LostReason.Value.Message);
    }

    [Fact]
    public void VerificationCanBeTurnedOffForDevelopment()
    {
        var server = new EchoProtocol();
        var client = new RecordingProtocol { OnMade = p => p.Transport.Write("insecure"u8) };
        LoopbackPump.Connect(TlsProtocol.ForServer(server, TlsProtocolTests.ServerOptions()),
            TlsProtocol.ForClient(client, new TlsClientOptions { HostName = "wrong.example", VerifyCertificate = false }));
        Assert.Equal("insecure"u8.ToArray(), client.Received);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")]
    [InlineData("EHLO mail.example.org\r\n")]
    public void PlaintextInsteadOfAClientHello(string text)
    {
        var (server, transport) = ServerFedWith(System.Text.Encoding.ASCII.GetBytes(text));
        var e = Assert.IsType<TlsProtocolException>(server.LostReason!.Value);
        Assert.Contains("valid TLS handshake", e.Message);
        Assert.True(transport.Closed);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void RandomBytesInsteadOfAClientHello(int seed)
    {
        var bytes = new byte[300];
        new Random(seed).NextBytes(bytes);
        var (server, _) = ServerFedWith(bytes);
        Assert.IsAssignableFrom<TlsException>(server.LostReason!.Value);
        Assert.False(server.LostReason.Check<ConnectionDoneException>());
    }

    [Fact]
    public void AHandshakeRecordThatIsTooLongIsRefused()
    {
        // A handshake record of 65,535 bytes: far more than the 16 KiB (plus expansion) TLS allows.
        var record = new byte[5 + 0xFFFF];
        record[0] = 0x16;
        record[1] = 0x03;
        record[2] = 0x01;
        record[3] = 0xFF;
        record[4] = 0xFF;
        record[5] = 0x01;
        var (server, _) = ServerFedWith(record);
        Assert.IsAssignableFrom<TlsException>(server.LostReason!.Value);
    }

    [Fact]
    public void AConnectionCutInTheMiddleOfARecordIsATruncation()
    {
        var server = new RecordingProtocol();
        var client = new RecordingProtocol();
        var pair = TlsProtocolTests.Connect(server, client);
        client.Transport.Write(new byte[5000]);
        // Deliver only half of the record, then the end of the stream.
        var half = pair.ClientTransport.PendingOutgoing / 2;
        var raw = TakeOutgoing(pair);
        pair.ServerTransport.Protocol.DataReceived(raw.AsSpan(0, half));
        pair.ServerTransport.Protocol.ConnectionLost(Twine.Net.Protocol.ConnectionDone);
        var e = Assert.IsType<TlsTruncatedException>(server.LostReason!.Value);
        Assert.Contains("middle of a TLS record", e.Message);
        Assert.Empty(server.Received);
    }

    [Fact]
    public void ACorruptedRecordEndsTheConnection()
    {
        var server = new RecordingProtocol();
        var client = new RecordingProtocol();
        var pair = TlsProtocolTests.Connect(server, client);
        client.Transport.Write("tampered with"u8);
        var raw = TakeOutgoing(pair);
        raw[^3] ^= 0x40;   // flips a bit of the authentication tag
        pair.ServerTransport.Protocol.DataReceived(raw);
        pair.Flush();
        Assert.IsType<TlsProtocolException>(server.LostReason!.Value);
        Assert.Empty(server.Received);
    }

    [Fact]
    public void ARequiredClientCertificateThatIsMissingIsRefused()
    {
        var serverOptions = TlsProtocolTests.ServerOptions();
        serverOptions.ClientCertificates = ClientCertificateMode.Required;
        serverOptions.ClientTrustRoots = TestCertificates.Roots;
        var (server, client) = Fail(serverOptions, TlsProtocolTests.ClientOptions());
        var e = Assert.IsType<TlsCertificateException>(server.LostReason!.Value);
        Assert.Contains("no certificate", e.Message);
        Assert.IsAssignableFrom<ConnectionLostException>(client.LostReason!.Value);
    }

    [Fact]
    public void AClientCertificateIsCheckedAndVisibleToTheServer()
    {
        var serverOptions = TlsProtocolTests.ServerOptions();
        serverOptions.ClientCertificates = ClientCertificateMode.Required;
        serverOptions.ClientTrustRoots = TestCertificates.Roots;
        var clientOptions = TlsProtocolTests.ClientOptions();
        clientOptions.ClientCertificate = TestCertificates.ClientCertificate;
        var server = new EchoProtocol();
        var client = new RecordingProtocol { OnMade = p => p.Transport.Write("mutual"u8) };
        var pair = TlsProtocolTests.Connect(server, client, serverOptions, clientOptions);
        Assert.Equal("mutual"u8.ToArray(), client.Received);
        Assert.Equal(TestCertificates.ClientCertificate.Thumbprint, pair.Server.PeerCertificate!.Thumbprint);
    }

    [Fact]
    public void AnOptionalClientCertificateMayBeLeftOut()
    {
        var serverOptions = TlsProtocolTests.ServerOptions();
        serverOptions.ClientCertificates = ClientCertificateMode.Optional;
        serverOptions.ClientTrustRoots = TestCertificates.Roots;
        var server = new EchoProtocol();
        var client = new RecordingProtocol { OnMade = p => p.Transport.Write("anonymous"u8) };
        var pair = TlsProtocolTests.Connect(server, client, serverOptions);
        Assert.Equal("anonymous"u8.ToArray(), client.Received);
        Assert.Null(pair.Server.PeerCertificate);
    }

    [Fact]
    public void AClientCertificateFromAnUntrustedIssuerIsRefused()
    {
        var serverOptions = TlsProtocolTests.ServerOptions();
        serverOptions.ClientCertificates = ClientCertificateMode.Optional;
        serverOptions.ClientTrustRoots = TestCertificates.Roots;
        var clientOptions = TlsProtocolTests.ClientOptions();
        clientOptions.ClientCertificate = TestCertificates.Leaf("intruder", issuer: TestCertificates.OtherCa, clientAuth: true);
        var (server, _) = Fail(serverOptions, clientOptions);
        Assert.IsType<TlsUntrustedCertificateException>(server.LostReason!.Value);
    }

    private static byte[] TakeOutgoing<TS, TC>(ConnectedPair<TS, TC> pair) where TS : IProtocol where TC : IProtocol
    {
        // Swap the server's protocol for a sink for one transfer, to capture the client's raw records.
        var tls = pair.ServerTransport.Protocol;
        var sink = new RecordingProtocol();
        pair.ServerTransport.SwitchProtocol(sink);
        pair.Pump.Pump();
        pair.ServerTransport.SwitchProtocol(tls);
        return sink.Received;
    }

    private static (RecordingProtocol Server, LoopbackTransport Transport) ServerFedWith(byte[] bytes)
    {
        var server = new RecordingProtocol();
        var peer = new RecordingProtocol { OnMade = p => p.Transport.Write(bytes) };
        var pair = LoopbackPump.Connect(TlsProtocol.ForServer(server, TlsProtocolTests.ServerOptions()), peer);
        pair.Flush();
        Assert.True(pair.ServerTransport.Closed);
        Assert.Empty(server.Received);
        return (server, pair.ServerTransport);
    }
}
