using System.Text;
using Twine.Defer;
using Twine.Net;
using Twine.Net.Tls;
using Twine.Protocols;
using Twine.Testing;

namespace Twine.Tests.Net.Tls;

/// <summary>STARTTLS: a line protocol that switches an established plaintext connection to TLS mid-stream.</summary>
public sealed class StartTlsTests
{
    /// <summary>Echoes lines; on <c>STARTTLS</c> answers <c>GO</c> in plaintext and switches to TLS.</summary>
    internal sealed class Server(TlsServerOptions options) : LineReceiver
    {
        public List<string> Lines { get; } = [];
        public ITlsTransport? Tls { get; private set; }
        public Failure? Lost { get; private set; }

        protected override void LineReceived(ReadOnlySpan<byte> line)
        {
            var text = Encoding.ASCII.GetString(line);
            Lines.Add(text);
            if (text == "STARTTLS")
            {
                SendLine("GO");
                Tls = Transport.StartTls(options);
                return;
            }
            SendLine("echo " + text + (Transport is ITlsTransport ? " (tls)" : " (plain)"));
        }

        public override void ConnectionLost(Failure reason) => Lost = reason;
    }

    /// <summary>Says hello in plaintext, asks for TLS, and once told GO switches and says a secret.</summary>
    internal sealed class Client(TlsClientOptions options) : LineReceiver
    {
        public List<string> Lines { get; } = [];
        public Failure? Lost { get; private set; }

        public override void ConnectionMade()
        {
            SendLine("hello");
            SendLine("STARTTLS");
        }

        protected override void LineReceived(ReadOnlySpan<byte> line)
        {
            var text = Encoding.ASCII.GetString(line);
            Lines.Add(text);
            if (text == "GO")
            {
                Transport.StartTls(options);
                SendLine("secret");
            }
        }

        public override void ConnectionLost(Failure reason) => Lost = reason;
    }

    [Fact]
    public void TLS11_ALineProtocolSwitchesToTlsMidStream()
    {
        var server = new Server(TlsProtocolTests.ServerOptions());
        var client = new Client(TlsProtocolTests.ClientOptions());
        var pair = LoopbackPump.Connect(server, client);

        Assert.Equal(["hello", "STARTTLS", "secret"], server.Lines);
        Assert.Equal(["echo hello (plain)", "GO", "echo secret (tls)"], client.Lines);
        Assert.True(server.Tls!.IsHandshakeComplete);
        Assert.IsType<TlsProtocol>(pair.ServerTransport.Protocol);
        Assert.IsType<TlsProtocol>(pair.ClientTransport.Protocol);
        Assert.Same(server.Tls, server.Transport);

        client.Transport.LoseConnection();
        pair.Flush();
        Assert.True(server.Lost!.Check<ConnectionDoneException>());
        Assert.True(client.Lost!.Check<ConnectionDoneException>());
    }

    [Fact]
    public void AfterTheSwitchTheWireCarriesNoPlaintext()
    {
        var server = new Server(TlsProtocolTests.ServerOptions());
        var client = new Client(TlsProtocolTests.ClientOptions());
        var pair = LoopbackPump.Connect(server, client);
        var tls = pair.ServerTransport.Protocol;
        var sink = new Twine.Tests.Net.Tcp.RecordingProtocol();
        pair.ServerTransport.SwitchProtocol(sink);
        client.SendLine("topsecret");
        pair.Pump.Pump();
        pair.ServerTransport.SwitchProtocol(tls);
        Assert.NotEmpty(sink.Received);
        Assert.DoesNotContain("topsecret", Encoding.ASCII.GetString(sink.Received));
    }

    [Fact]
    public void StartTlsTwiceIsRefused()
    {
        var server = new Server(TlsProtocolTests.ServerOptions());
        var client = new Client(TlsProtocolTests.ClientOptions());
        LoopbackPump.Connect(server, client);
        var e = Assert.Throws<InvalidOperationException>(() => server.Transport.StartTls(TlsProtocolTests.ServerOptions()));
        Assert.Contains("already", e.Message);
    }

    [Fact]
    public void ATransportThatCannotSwitchProtocolsSaysSo()
    {
        var transport = new MemoryTransport();
        var e = Assert.Throws<NotSupportedException>(() => transport.StartTls(TlsProtocolTests.ServerOptions()));
        Assert.Contains("ISwitchableTransport", e.Message);
    }
}
