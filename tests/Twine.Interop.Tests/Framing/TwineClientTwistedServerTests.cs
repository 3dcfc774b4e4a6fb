using Twine.Reactors;
using System.Text;
using Twine.Defer;
using Twine.Interop.Tests.Peers;
using Twine.Net;

namespace Twine.Interop.Tests.Framing;


/// <summary>
/// A Twine client against Twisted's own LineReceiver, NetstringReceiver and Int32StringReceiver (twisted_server.py),
/// which answer every message with its bytes reversed. Byte-exact in both directions (LR1, LR2, NS1–NS3, IN1, IN2).
/// </summary>
public sealed class TwineClientTwistedServerTests
{
    public static TheoryData<FramingKind> Kinds => new() { FramingKind.Lines, FramingKind.Netstrings, FramingKind.Int32 };

    // LR1/NS1/IN1: empty, binary, UTF-8 and framing bytes inside payloads, and exactly MAX_LENGTH, survive both ways.
    [Theory]
    [MemberData(nameof(Kinds))]
    public void EdgeCaseMessages_RoundTripByteExact_LR1_NS1_IN1(FramingKind kind)
    {
        var messages = EdgeCases.Messages(kind);
        var (server, port) = TwistedPeer.StartServer(kind.PeerName());
        using (server)
        {
            var recorder = Converse(kind, port, server,
                onMade: m => { foreach (var message in messages) m.Send(message); },
                onReceived: (m, count) => { if (count == messages.Length) m.Transport.LoseConnection(); });

            MessageAssert.Equal([.. messages.Select(EdgeCases.Reverse)], recorder.Received, "Twine client's view");
            Assert.IsType<ConnectionDoneException>(recorder.LostReason?.Value);
            Assert.Empty(recorder.Violations);
            Assert.Equal("LOST 1 ConnectionDone", server.WaitForLine(l => l.StartsWith("LOST ", StringComparison.Ordinal), "the connection's end"));
            Assert.DoesNotContain(server.Lines, l => l.StartsWith("VIOLATION", StringComparison.Ordinal));
        }
    }

    // LR1/NS2/IN1: hundreds of messages written in one reactor turn arrive coalesced; every boundary is found, in order.
    [Theory]
    [MemberData(nameof(Kinds))]
    public void BurstOfMessages_AllEchoedInOrder_LR1_NS2_IN1(FramingKind kind)
    {
        var messages = EdgeCases.Burst(500);
        var (server, port) = TwistedPeer.StartServer(kind.PeerName());
        using (server)
        {
            var recorder = Converse(kind, port, server,
                onMade: m => { foreach (var message in messages) m.Send(message); },
                onReceived: (m, count) => { if (count == messages.Length) m.Transport.LoseConnection(); });

            MessageAssert.Equal([.. messages.Select(EdgeCases.Reverse)], recorder.Received, "Twine client's view");
        }
    }

    // LR1/NS2/IN1: Twisted sends a frame split across writes (half with "ack", the rest a byte per turn after the
    // client's "!continue"), so Twine must reassemble it from several reads.
    [Theory]
    [MemberData(nameof(Kinds))]
    public void FrameSplitByTwisted_IsReassembled_LR1_NS2_IN1(FramingKind kind)
    {
        var payload = Encoding.ASCII.GetBytes("split across many reads: ").Concat(EdgeCases.Pattern(200)).ToArray();
        var (server, port) = TwistedPeer.StartServer(kind.PeerName());
        using (server)
        {
            int readsAtAck = 0;
            IMessenger? messenger = null;
            var recorder = Converse(kind, port, server,
                onMade: m =>
                {
                    messenger = m;
                    m.Send([.. "!split "u8, .. payload]);
                },
                onReceived: (m, count) =>
                {
                    if (count == 1)
                    {
                        readsAtAck = m.Reads;
                        m.Send("!continue"u8);
                    }
                    else m.Transport.LoseConnection();
                });

            MessageAssert.Equal(["ack"u8.ToArray(), EdgeCases.Reverse(payload)], recorder.Received, "Twine client's view");
            // The second half was only sent after "!continue", i.e. after the read that carried "ack".
            Assert.True(messenger!.Reads > readsAtAck, $"expected more reads after the ack (read {readsAtAck}), got {messenger.Reads}");
        }
    }

    // LR2/NS3/IN2: one byte over MAX_LENGTH from Twine is refused by Twisted with Twisted's own check, after the
    // earlier message was answered: the two implementations agree on the limit.
    [Theory]
    [MemberData(nameof(Kinds))]
    public void OneByteOverTheLimit_IsRefusedByTwisted_LR2_NS3_IN2(FramingKind kind)
    {
        var (server, port) = TwistedPeer.StartServer(kind.PeerName());
        using (server)
        {
            var recorder = Converse(kind, port, server,
                onMade: m => m.Send("before"u8),
                onReceived: (m, count) => m.Send(EdgeCases.Pattern(kind.MaxLength() + 1)));

            MessageAssert.Equal(["erofeb"u8.ToArray()], recorder.Received, "Twine client's view");
            Assert.NotNull(recorder.LostReason);
            server.WaitForLine(l => l.StartsWith("LOST ", StringComparison.Ordinal), "the connection's end");
            var expected = kind switch
            {
                FramingKind.Lines => "VIOLATION 1 LINE-TOO-LONG",
                FramingKind.Netstrings => "VIOLATION 1 BROKEN-PEER",
                _ => $"VIOLATION 1 LENGTH-LIMIT {kind.MaxLength() + 1}",
            };
            Assert.Contains(server.Lines, l => l.StartsWith(expected, StringComparison.Ordinal));
        }
    }

    // PF1: a Twisted server closing the connection reaches the Twine client as a clean close, after the data it sent.
    [Theory]
    [MemberData(nameof(Kinds))]
    public void TwistedServerCloses_ClientSeesConnectionDone(FramingKind kind)
    {
        var (server, port) = TwistedPeer.StartServer(kind.PeerName());
        using (server)
        {
            var recorder = Converse(kind, port, server,
                onMade: m =>
                {
                    m.Send("last words"u8);
                    m.Send("!bye"u8);
                },
                onReceived: (_, _) => { });

            MessageAssert.Equal(["sdrow tsal"u8.ToArray()], recorder.Received, "Twine client's view");
            Assert.IsType<ConnectionDoneException>(recorder.LostReason?.Value);
        }
    }

    /// <summary>
    /// Connects a Twine client to the Twisted server and runs the reactor until the connection is lost.
    /// <paramref name="onReceived"/> gets the number of messages received so far.
    /// </summary>
    private static MessageRecorder Converse(FramingKind kind, int port, ChildProcess server, Action<IMessenger> onMade, Action<IMessenger, int> onReceived)
    {
        using var reactor = InteropReactor.Create();
        Failure? connectFailure = null;
        var recorder = new MessageRecorder
        {
            OnMade = onMade,
            OnLost = (_, _) => InteropReactor.StopSoon(reactor),
        };
        recorder.OnReceived = (m, _) => onReceived(m, recorder.Received.Count);
        TwineClient.Connect(reactor, kind, port, recorder, f =>
        {
            connectFailure = f;
            InteropReactor.StopSoon(reactor);
        });
        InteropReactor.RunGuarded(reactor, server.Report);
        Assert.True(connectFailure is null, $"Could not connect to the Twisted server: {connectFailure?.GetErrorMessage()}{server.Report()}");
        Assert.True(recorder.Made, $"The Twine client never connected{server.Report()}");
        return recorder;
    }
}
