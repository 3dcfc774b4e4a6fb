using System.Text;
using Twine.Defer;
using Twine.Interop.Tests.Peers;
using Twine.Net;

namespace Twine.Interop.Tests.Framing;

/// <summary>
/// Twisted's own LineReceiver, NetstringReceiver and Int32StringReceiver as clients (twisted_client.py) against a Twine
/// server that answers every message with its bytes reversed. Byte-exact in both directions; split, truncated,
/// malformed and oversized input from Twisted (LR1, LR2, NS1–NS3, IN1, IN2).
/// </summary>
public sealed class TwistedClientTwineServerTests
{
    public static TheoryData<FramingKind> Kinds => new() { FramingKind.Lines, FramingKind.Netstrings, FramingKind.Int32 };

    // LR1/NS1/IN1: the edge-case messages, framed by Twisted, are parsed exactly and Twine's replies parse in Twisted.
    [Theory]
    [MemberData(nameof(Kinds))]
    public void EdgeCaseMessages_RoundTripByteExact_LR1_NS1_IN1(FramingKind kind)
    {
        var messages = EdgeCases.Messages(kind);
        var script = new PeerScript();
        foreach (var message in messages) script.Send(message);
        script.Await(messages.Length).Close();

        var (transcript, server) = Converse(kind, script);

        var connection = Assert.Single(server.Connections);
        MessageAssert.Equal(messages, connection.Received, "Twine server's view");
        MessageAssert.Equal([.. messages.Select(EdgeCases.Reverse)], transcript.Received, "Twisted client's view");
        Assert.Empty(connection.Violations);
        Assert.Empty(transcript.Violations);
        Assert.IsType<ConnectionDoneException>(connection.LostReason?.Value);
        Assert.Equal("ConnectionDone", transcript.LostReason);
    }

    // LR1/NS2/IN1: hundreds of messages back to back in Twisted's write buffer.
    [Theory]
    [MemberData(nameof(Kinds))]
    public void BurstOfMessages_AllEchoedInOrder_LR1_NS2_IN1(FramingKind kind)
    {
        var messages = EdgeCases.Burst(500);
        var script = new PeerScript();
        foreach (var message in messages) script.Send(message);
        script.Await(messages.Length).Close();

        var (transcript, server) = Converse(kind, script);

        MessageAssert.Equal(messages, Assert.Single(server.Connections).Received, "Twine server's view");
        MessageAssert.Equal([.. messages.Select(EdgeCases.Reverse)], transcript.Received, "Twisted client's view");
    }

    // LR1/NS2/IN1: Twisted writes each frame one byte per reactor turn (Nagle off), so frames arrive in pieces.
    [Theory]
    [MemberData(nameof(Kinds))]
    public void ByteAtATime_IsReassembled_LR1_NS2_IN1(FramingKind kind)
    {
        byte[][] messages = ["hello"u8.ToArray(), [], Encoding.UTF8.GetBytes("wörld ✓"), EdgeCases.Pattern(60)];
        var script = new PeerScript();
        foreach (var message in messages) script.Trickle(message);
        script.Await(messages.Length).Close();

        var (transcript, server) = Converse(kind, script);

        MessageAssert.Equal(messages, Assert.Single(server.Connections).Received, "Twine server's view");
        MessageAssert.Equal([.. messages.Select(EdgeCases.Reverse)], transcript.Received, "Twisted client's view");
    }

    // LR1/NS2/IN1: a frame cut in the length prefix, in the payload or just before the trailer. The first piece
    // travels in one write behind a complete "ping" message, and the rest is only sent once Twine has answered that
    // ping, so Twine has necessarily read the first piece and must keep it until the rest arrives.
    [Theory]
    [MemberData(nameof(Kinds))]
    public void FrameCutAcrossRoundTrips_IsReassembled_LR1_NS2_IN1(FramingKind kind)
    {
        var payload = EdgeCases.Pattern(1000);
        int framed = kind switch
        {
            FramingKind.Lines => payload.Length + 2,
            FramingKind.Netstrings => payload.Length + 6,     // "1000:" … ","
            _ => payload.Length + 4,
        };
        int[] cuts = [1, 3, framed / 2, framed - 1];         // inside the prefix, in the payload, before the trailer
        var script = new PeerScript();
        var expected = new List<byte[]>();
        foreach (var cut in cuts)
        {
            var ping = Encoding.ASCII.GetBytes($"ping {cut}");
            expected.Add(ping);
            script.Part(payload, 0, cut, lead: ping).Await(expected.Count);
            expected.Add(payload);
            script.Part(payload, cut, framed).Await(expected.Count);
        }
        script.Close();

        var (transcript, server) = Converse(kind, script);

        MessageAssert.Equal(expected, Assert.Single(server.Connections).Received, "Twine server's view");
        MessageAssert.Equal([.. expected.Select(EdgeCases.Reverse)], transcript.Received, "Twisted client's view");
    }

    // LR1/NS2/IN2: a connection closed in the middle of a frame delivers nothing partial and is not a protocol error.
    [Theory]
    [MemberData(nameof(Kinds))]
    public void TruncatedFrameThenClose_DeliversNothingPartial(FramingKind kind)
    {
        var script = new PeerScript()
            .Send("complete"u8.ToArray()).Await(1)
            .Part(EdgeCases.Pattern(100), 0, 50).Close();

        var (transcript, server) = Converse(kind, script);

        var connection = Assert.Single(server.Connections);
        MessageAssert.Equal(["complete"u8.ToArray()], connection.Received, "Twine server's view");
        Assert.Empty(connection.Violations);
        Assert.IsType<ConnectionDoneException>(connection.LostReason?.Value);
        Assert.Equal("ConnectionDone", transcript.LostReason);
    }

    public static TheoryData<FramingKind, string> BadInputs => new()
    {
        { FramingKind.Lines, "unterminated line of 20000 bytes" },
        { FramingKind.Lines, "complete line of MAX_LENGTH + 1 bytes" },
        { FramingKind.Netstrings, "leading zero" },
        { FramingKind.Netstrings, "no length" },
        { FramingKind.Netstrings, "missing colon" },
        { FramingKind.Netstrings, "missing comma" },
        { FramingKind.Netstrings, "length over MAX_LENGTH, colon not sent" },
        { FramingKind.Netstrings, "netstring of MAX_LENGTH + 1 bytes" },
        { FramingKind.Int32, "string of MAX_LENGTH + 1 bytes" },
        { FramingKind.Int32, "prefix 0xFFFFFFFF" },
    };

    // LR2/NS3/IN2: malformed or oversized input from Twisted closes that connection only. A Twine client connected to
    // the same server before the bad input still gets answers afterwards.
    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInput_ClosesOnlyThatConnection_LR2_NS3_IN2(FramingKind kind, string input)
    {
        byte[] over = EdgeCases.Pattern(kind.MaxLength() + 1);
        var script = new PeerScript().Send("fine"u8.ToArray()).Await(1);
        _ = input switch
        {
            "unterminated line of 20000 bytes" => script.Raw(EdgeCases.Pattern(20000)),
            "complete line of MAX_LENGTH + 1 bytes" => script.Send(over),
            "leading zero" => script.Raw("007:abcdefg,"u8.ToArray()),
            "no length" => script.Raw("abc:de,"u8.ToArray()),
            "missing colon" => script.Raw("12a3456789012,"u8.ToArray()),
            "missing comma" => script.Raw("3:abcX"u8.ToArray()),
            "length over MAX_LENGTH, colon not sent" => script.Raw("100000"u8.ToArray()),
            "netstring of MAX_LENGTH + 1 bytes" => script.Send(over),
            "string of MAX_LENGTH + 1 bytes" => script.Send(over),
            "prefix 0xFFFFFFFF" => script.Raw([0xFF, 0xFF, 0xFF, 0xFF, (byte)'x']),
            _ => throw new ArgumentOutOfRangeException(nameof(input)),
        };
        // Nothing closes from the Twisted side: only Twine's refusal can end this connection.

        var bystander = new MessageRecorder();
        var (transcript, server) = Converse(kind, script, bystander);

        // The offending connection: answered before, refused after, closed by Twine.
        var offender = server.Connections.Single(c => c != server.Connections[0]);
        MessageAssert.Equal(["fine"u8.ToArray()], offender.Received, "Twine server's view of the offender");
        MessageAssert.Equal(["enif"u8.ToArray()], transcript.Received, "Twisted client's view");
        Assert.NotNull(transcript.LostReason);
        var expected = kind switch
        {
            FramingKind.Lines => "LINE-TOO-LONG",
            FramingKind.Netstrings => "BROKEN-PEER",
            _ => $"LENGTH-LIMIT {(input == "prefix 0xFFFFFFFF" ? uint.MaxValue : (uint)over.Length)}",
        };
        Assert.Equal([expected], offender.Violations);

        // The bystander connection kept working.
        MessageAssert.Equal(["ybdnats"u8.ToArray(), "retfa"u8.ToArray()], bystander.Received, "Twine bystander's view");
        Assert.Empty(server.Connections[0].Violations);
        Assert.IsType<ConnectionDoneException>(bystander.LostReason?.Value);
    }

    /// <summary>
    /// Starts a Twine server, then the Twisted client with <paramref name="script"/>, and runs the reactor until the
    /// client has exited and every server connection is closed. With a <paramref name="bystander"/>, a Twine client
    /// connects first, exchanges "standby", and after the Twisted client has exited exchanges "after" and closes.
    /// </summary>
    private static (ClientTranscript Transcript, TwineServer Server) Converse(FramingKind kind, PeerScript script, MessageRecorder? bystander = null)
    {
        TwistedPeer.RequireTwisted();
        using var reactor = InteropReactor.Create();
        var server = new TwineServer(reactor, kind);
        ChildProcess? client = null;
        bool clientExited = false;
        Failure? connectFailure = null;
        // The client's exit is reported on a thread-pool thread; once this method is leaving, the reactor is about to
        // be disposed and must not be called any more.
        var gate = new object();
        bool leaving = false;

        IMessenger? messenger = null;
        bool sentAfter = false;

        void StopWhenDone()
        {
            bool bystanderDone = bystander is null || bystander.LostReason is not null;
            if (clientExited && bystanderDone && server.Open == 0) InteropReactor.StopSoon(reactor);
        }

        // The bystander's script: "standby", answer → start the Twisted client; client exited → "after", answer → close.
        void AdvanceBystander()
        {
            if (bystander is null || messenger is null) return;
            int answers = bystander.Received.Count;
            if (answers == 1 && client is null) StartTwistedClient();
            else if (answers == 1 && clientExited && !sentAfter)
            {
                sentAfter = true;
                messenger.Send("after"u8);
            }
            else if (answers == 2 && !messenger.Transport.Disconnecting) messenger.Transport.LoseConnection();
        }

        void StartTwistedClient()
        {
            client = TwistedPeer.StartClient(kind.PeerName(), server.Port, script);
            client.OnExit(() =>
            {
                lock (gate)
                {
                    if (leaving) return;
                    reactor.CallFromThread(() =>
                    {
                        clientExited = true;
                        AdvanceBystander();
                        StopWhenDone();
                    });
                }
            });
        }

        server.ConnectionClosed += _ => StopWhenDone();
        if (bystander is null)
        {
            StartTwistedClient();
        }
        else
        {
            bystander.OnMade = m =>
            {
                messenger = m;
                m.Send("standby"u8);
            };
            bystander.OnReceived = (_, _) => AdvanceBystander();
            bystander.OnLost = (_, _) => StopWhenDone();
            TwineClient.Connect(reactor, kind, server.Port, bystander, f =>
            {
                connectFailure = f;
                InteropReactor.StopSoon(reactor);
            });
        }

        try
        {
            InteropReactor.RunGuarded(reactor, () => client?.Report() ?? ".");
            Assert.True(connectFailure is null, $"The Twine bystander could not connect: {connectFailure?.GetErrorMessage()}");
            Assert.NotNull(client);
            return (ClientTranscript.Of(client), server);
        }
        finally
        {
            lock (gate) leaving = true;
            client?.Dispose();
        }
    }
}
