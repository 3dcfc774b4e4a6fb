using Twine.Defer;
using Twine.Net;
using Twine.Net.Tls;
using Twine.Reactors;
using Twine.Tests.Net.Tcp;
using static Twine.Tests.Net.Tcp.NetTesting;

namespace Twine.Tests.Net.Tls;

/// <summary>
/// Handshake flights leave at once: the bytes a handshake step produced are in the kernel when the call that produced
/// them returns, not waiting in the socket's buffer for the loop's flush phase (where they would also wait for every
/// other connection's callbacks of that iteration). Checked by bytes still buffered, not by time.
/// </summary>
public sealed class TlsFlightTests
{
    /// <summary>Sits between a socket and a TLS layer and notes what the socket still buffers after each event.</summary>
    private sealed class BufferProbe(TlsProtocol tls) : IProtocol
    {
        private ISocketTransport? _socket;

        /// <summary>(handshake complete before the event, bytes still buffered by the socket after it), per event.</summary>
        public List<(string Event, bool HandshakeDoneBefore, long BufferedAfter)> Events { get; } = [];

        public void MakeConnection(ITransport transport)
        {
            _socket = (ISocketTransport)transport;
            tls.MakeConnection(transport);
            Events.Add(("made", false, _socket.BufferedBytes));
        }

        public void DataReceived(ReadOnlySpan<byte> data)
        {
            bool done = tls.IsHandshakeComplete;
            tls.DataReceived(data);
            Events.Add(("data", done, _socket!.BufferedBytes));
        }

        public void ConnectionLost(Failure reason) => tls.ConnectionLost(reason);
    }

    [Theory]
    [MemberData(nameof(Backends), MemberType = typeof(NetTesting))]
    public void EachHandshakeFlightIsSentInsideTheCallThatMadeIt(NetSetup setup)
    {
        using var reactor = Create(setup);
        BufferProbe? server = null;
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() =>
            server = new BufferProbe(TlsProtocol.ForServer(new EchoProtocol(), TlsProtocolTests.ServerOptions()))));
        var client = new RecordingProtocol { OnMade = p => p.Transport.Write("ping"u8) };
        client.OnData = (p, _) =>
        {
            if (p.ReceivedCount < 4) return;
            p.Transport.LoseConnection();
            reactor.Stop();
        };
        var clientProbe = new BufferProbe(TlsProtocol.ForClient(client, TlsProtocolTests.ClientOptions()));
        reactor.ConnectTcp("127.0.0.1", number, Client(clientProbe));
        Run(reactor);

        Assert.Equal("ping"u8.ToArray(), client.Received);
        Assert.NotNull(server);
        // The client's hello went out inside MakeConnection; every handshake step on either side left nothing behind.
        Assert.Equal(("made", false, 0L), clientProbe.Events[0]);
        var handshakeSteps = server.Events.Concat(clientProbe.Events).Where(e => e.Event == "data" && !e.HandshakeDoneBefore).ToList();
        Assert.NotEmpty(handshakeSteps);
        Assert.All(handshakeSteps, e => Assert.Equal(0L, e.BufferedAfter));
    }
}
