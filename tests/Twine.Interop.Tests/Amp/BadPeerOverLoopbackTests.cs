using System.Net;
using Twine.Defer;
using Twine.Net;
using Twine.Net.Endpoints;
using Twine.Protocols.Amp;
using static Twine.Interop.Tests.Amp.InteropCommands;

namespace Twine.Interop.Tests.Amp;

/// <summary>
/// Over real loopback sockets: a peer that sends a malformed box loses its own connection, and the server's other
/// connections go on being answered (AMP2, AMP3).
/// </summary>
public sealed class BadPeerOverLoopbackTests
{
    /// <summary>Writes fixed bytes on connecting and reports when the server closes the connection.</summary>
    private sealed class RawPeer(byte[] bytes) : Protocol
    {
        public Deferred<Exception> Lost { get; } = new();

        public override void ConnectionMade() => Transport.Write(bytes);

        public override void ConnectionLost(Failure reason) => Lost.Callback(reason.Value);
    }

    [Theory]
    [InlineData(new byte[] { 0x01, 0x00 })]                                  // a key length over 255
    [InlineData(new byte[] { 0x00, 0x01, (byte)'x', 0x00, 0x00, 0x00, 0x00 })]   // a box that is neither request nor reply
    public void MalformedBox_ClosesOnlyThatConnection_AMP2_AMP3(byte[] garbage)
    {
        var servers = new List<TwineAmpServer>();
        AmpInterop.Run(async reactor =>
        {
            var factory = new Factory(() =>
            {
                var server = new TwineAmpServer(reactor);
                servers.Add(server);
                return server.Protocol;
            }) { Noisy = false };
            var port = reactor.ListenTcp(0, factory, interfaceAddress: "127.0.0.1");
            var endpoint = Endpoints.Client(reactor, $"tcp:host=127.0.0.1:port={((IPEndPoint)port.Host).Port}");

            var good = await Endpoints.ConnectProtocol(endpoint, new AmpProtocol());
            Assert.Equal(2, (await good.CallRemote(Divide, new DivideArgs(4, 2))).Value);

            var bad = await Endpoints.ConnectProtocol(endpoint, new RawPeer(garbage));
            Assert.IsAssignableFrom<ConnectionClosedException>(await bad.Lost);

            Assert.Equal(3, (await good.CallRemote(Divide, new DivideArgs(9, 3))).Value);
            Assert.Null(good.ClosedReason);
            good.Transport.LoseConnection();
            await port.StopListening();
        });
        Assert.Equal(2, servers.Count);
        Assert.IsAssignableFrom<AmpProtocolException>(servers[1].Protocol.ClosedReason?.Value);
    }
}
