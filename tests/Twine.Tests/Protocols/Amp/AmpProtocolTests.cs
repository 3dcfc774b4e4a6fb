using System.Text;
using Twine.Defer;
using Twine.Net;
using Twine.Protocols.Amp;
using Twine.Testing;
using Twine.Time;
using static Twine.Tests.Protocols.Amp.TestCommands;

namespace Twine.Tests.Protocols.Amp;

/// <summary>AmpProtocol end to end over the in-memory loopback: calls, answers, errors and connection loss (AMP3–AMP9).</summary>
public sealed class AmpProtocolTests
{
    private static byte[] B(string wire) => AmpWire.Bytes(wire);

    private static ConnectedPair<AmpProtocol, AmpProtocol> Connect(AmpResponders server, Clock? clock = null) =>
        LoopbackPump.Connect(new AmpProtocol(server), new AmpProtocol(), clock: clock);

    private static AmpResponders SumResponders() => new AmpResponders().Add(Sum, a => a.A switch
    {
        418 => throw new TeapotException("short and stout"),
        666 => throw new MeltdownException("core breach"),
        -1 => throw new InvalidOperationException("a bug"),
        _ => new Total(a.A + a.B),
    });

    [Fact]
    public void CallRemote_GetsTheResponse_AMP4_AMP5()
    {
        var pair = Connect(SumResponders());
        var d = pair.Client.CallRemote(Sum, new SumArgs(13, 81));
        pair.Flush();
        Assert.Equal(new Total(94), d.Result.Value);
        Assert.Equal(0, pair.Client.OutstandingCalls);
    }

    // AMP4/AMP10: the request on the wire, names as declared, tagged with Twisted's counter (lowercase hex from 1).
    [Fact]
    public void Request_IsTheBoxTwistedSends_AMP1_AMP4_AMP10()
    {
        var client = new AmpProtocol();
        var transport = new MemoryTransport();
        client.MakeConnection(transport);
        client.CallRemote(Sum, new SumArgs(1, 2));
        Assert.Equal(B(@"\x00\x04_ask\x00\x011\x00\x08_command\x00\x03Sum\x00\x01a\x00\x011\x00\x01b\x00\x012\x00\x00"), transport.Value());
        transport.Clear();
        for (var i = 0; i < 9; i++) client.CallRemote(Sum, new SumArgs(1, 2));
        transport.Clear();
        client.CallRemote(Sum, new SumArgs(1, 2));
        Assert.StartsWith(AmpWire.Text(B(@"\x00\x04_ask\x00\x01b\x00")), AmpWire.Text(transport.Value()));   // the 11th call
    }

    [Fact]
    public void AnswersArriveInTheOrderResponsersFinish_NotTheOrderAsked()
    {
        var clock = new Clock();
        var server = new AmpResponders().Add(Sum, async a =>
        {
            await clock.Sleep(TimeSpan.FromSeconds(a.A));
            return new Total(a.A);
        });
        var pair = Connect(server, clock);
        var finished = new List<long>();
        foreach (var seconds in new long[] { 3, 1, 2 })
            pair.Client.CallRemote(Sum, new SumArgs(seconds, 0)).AddCallback(t => finished.Add(t.Value));
        pair.Flush();
        Assert.Equal(3, pair.Client.OutstandingCalls);
        for (var s = 0; s < 3; s++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            pair.Flush();
        }
        Assert.Equal([1L, 2, 3], finished);
    }

    // AMP5/AMP6: a declared error comes back as its exception, with the description; the connection stays open.
    [Fact]
    public void DeclaredError_BecomesTheDeclaredException_AndTheConnectionStays_AMP5_AMP6()
    {
        var pair = Connect(SumResponders());
        var d = pair.Client.CallRemote(Sum, new SumArgs(418, 0));
        pair.Flush();
        var e = Assert.IsType<TeapotException>(d.Result.Failure!.Value);
        Assert.Equal("short and stout", e.Message);
        var again = pair.Client.CallRemote(Sum, new SumArgs(1, 1));
        pair.Flush();
        Assert.Equal(2, again.Result.Value.Value);
    }

    // AMP5: a fatal error is sent, then the responder's side closes.
    [Fact]
    public void FatalError_IsSentThenTheConnectionCloses_AMP5()
    {
        var pair = Connect(SumResponders());
        var d = pair.Client.CallRemote(Sum, new SumArgs(666, 0));
        pair.Flush();
        Assert.IsType<MeltdownException>(d.Result.Failure!.Value);
        Assert.IsType<ConnectionDoneException>(pair.Client.ClosedReason!.Value);
    }

    // AMP5: anything undeclared is UNKNOWN / "Unknown Error", and the responder's side closes.
    [Fact]
    public void UndeclaredError_IsUnknown_AndClosesTheConnection_AMP5_AMP6()
    {
        var pair = Connect(SumResponders());
        var d = pair.Client.CallRemote(Sum, new SumArgs(-1, 0));
        pair.Flush();
        var e = Assert.IsType<AmpUnknownRemoteException>(d.Result.Failure!.Value);
        Assert.Equal("UNKNOWN", e.Code);
        Assert.Equal("Unknown Error", e.Description);
        Assert.NotNull(pair.Client.ClosedReason);
        Assert.Equal(0, pair.Client.OutstandingCalls);
    }

    // AMP5/AMP6: test_unknownCommandLow/High: UNHANDLED with Twisted's description; the connection stays open.
    [Fact]
    public void UnknownCommand_IsUnhandled_AndTheConnectionStays_AMP5_AMP6()
    {
        var pair = Connect(SumResponders());
        var d = pair.Client.CallRemote(Missing, Unit.Value);
        pair.Flush();
        var e = Assert.IsType<AmpUnhandledCommandException>(d.Result.Failure!.Value);
        Assert.Equal("UNHANDLED", e.Code);
        Assert.Equal("Unhandled Command: b'Missing'", e.Description);
        Assert.Null(pair.Client.ClosedReason);
    }

    [Fact]
    public void ResponderThrowingAmpRemoteException_SendsItsCode()
    {
        var server = new AmpResponders().Add(Hello, Greeting (g) => throw new AmpRemoteException("NOPE", $"no {g.Hello}"));
        var pair = Connect(server);
        var d = pair.Client.CallRemote(Hello, new Greeting("world"));
        pair.Flush();
        var e = Assert.IsType<AmpUnknownRemoteException>(d.Result.Failure!.Value);
        Assert.Equal(("NOPE", "no world"), (e.Code, e.Description));
        Assert.Null(pair.Client.ClosedReason);
    }

    // AMP9: optional fields left out when null and read back as null; unknown keys ignored.
    [Fact]
    public void OptionalFields_AndUnknownKeys_AMP9()
    {
        var server = new AmpResponders().Add(Hello, g => g with { Optional = g.Optional ?? "was null" });
        var pair = Connect(server);
        var withNull = pair.Client.CallRemote(Hello, new Greeting("a"));
        var withValue = pair.Client.CallRemote(Hello, new Greeting("b", "given"));
        pair.Flush();
        Assert.Equal(new Greeting("a", "was null"), withNull.Result.Value);
        Assert.Equal(new Greeting("b", "given"), withValue.Result.Value);

        var box = new AmpBox { ["_command"] = B("Hello"), ["_ask"] = B("zz"), ["hello"] = B("x"), ["extra"] = B("ignored") };
        var raw = new MemoryTransport();
        var serverSide = new AmpProtocol(server);
        serverSide.MakeConnection(raw);
        serverSide.DataReceived(box.Serialize());
        var reply = AmpBox.ParseMany(raw.Value()).Single();
        Assert.Equal(B("zz"), reply["_answer"]);
        Assert.Equal(B("was null"), reply["optional"]);
    }

    // AMP9: test_failEarlyOnArgSending: a null required argument fails the call locally; nothing is sent.
    [Fact]
    public void BadArguments_FailTheCallBeforeSending_AMP9()
    {
        var client = new AmpProtocol();
        var transport = new MemoryTransport();
        client.MakeConnection(transport);
        var d = client.CallRemote(Hello, new Greeting(null!));
        Assert.IsType<AmpArgumentException>(d.Result.Failure!.Value);
        var tooLong = client.CallRemote(Hello, new Greeting(new string('x', 70000)));
        Assert.IsType<AmpTooLongException>(tooLong.Result.Failure!.Value);
        Assert.Empty(transport.Value());
        Assert.Equal(0, client.OutstandingCalls);
    }

    // AMP9/AMP5: a missing required argument on the server is an UNKNOWN error, and the server closes.
    [Fact]
    public void MissingArgument_OnTheServer_IsUnknown_AMP5_AMP9()
    {
        var raw = new MemoryTransport();
        var server = new AmpProtocol(SumResponders());
        server.MakeConnection(raw);
        server.DataReceived(new AmpBox { ["_command"] = B("Sum"), ["_ask"] = B("1"), ["a"] = B("1") }.Serialize());
        var reply = AmpBox.ParseMany(raw.Value()).Single();
        Assert.Equal(B("UNKNOWN"), reply["_error_code"]);
        Assert.Equal(B("Unknown Error"), reply["_error_description"]);
        Assert.True(raw.Disconnecting);
    }

    // AMP4: test_requiresNoAnswer: no _ask on the wire, no reply.
    [Fact]
    public void Notify_SendsNoAsk_AndGetsNoReply_AMP4()
    {
        var heard = new List<string>();
        var server = new AmpResponders().Add(Shout, g =>
        {
            heard.Add(g.Hello);
            return Unit.Value;
        });
        var raw = new MemoryTransport();
        var client = new AmpProtocol();
        client.MakeConnection(raw);
        var sent = client.Notify(Shout, new Greeting("hey"));
        Assert.True(sent.Result.Succeeded);
        var request = raw.Value();
        Assert.False(AmpBox.ParseMany(request).Single().ContainsKey("_ask"));
        Assert.IsType<InvalidOperationException>(client.CallRemote(Shout, new Greeting("x")).Result.Failure!.Value);

        var serverTransport = new MemoryTransport();
        var serverSide = new AmpProtocol(server);
        serverSide.MakeConnection(serverTransport);
        serverSide.DataReceived(request);
        Assert.Equal(["hey"], heard);
        Assert.Empty(serverTransport.Value());
        Assert.False(serverTransport.Disconnecting);
    }

    // AMP4: test_requiresNoAnswerFail: with nobody to tell, a failing responder drops the connection.
    [Fact]
    public void Notify_WhoseResponderFails_DropsTheConnection_AMP4()
    {
        var server = new AmpResponders().Add(Shout, Unit (_) => throw new InvalidOperationException("boom"));
        var pair = Connect(server);
        pair.Client.Notify(Shout, new Greeting("hey"));
        pair.Flush();
        Assert.NotNull(pair.Client.ClosedReason);
        Assert.NotNull(pair.Server.ClosedReason);
    }

    // AMP8: test_lateAnswer / connection loss: every outstanding call fails with the reason; later calls at once.
    [Fact]
    public void ConnectionLoss_FailsEveryOutstandingCall_AndLaterCalls_AMP8()
    {
        var never = new Deferred<Total>();
        var server = new AmpResponders().Add(Sum, _ => never);
        var pair = Connect(server);
        var calls = Enumerable.Range(0, 5).Select(i => pair.Client.CallRemote(Sum, new SumArgs(i, i))).ToList();
        pair.Flush();
        pair.ClientTransport.AbortConnection();
        pair.Flush();

        var reason = Assert.IsAssignableFrom<ConnectionClosedException>(pair.Client.ClosedReason!.Value);
        foreach (var call in calls) Assert.Same(reason, call.Result.Failure!.Value);
        Assert.Equal(0, pair.Client.OutstandingCalls);
        Assert.Same(reason, pair.Client.CallRemote(Sum, new SumArgs(1, 1)).Result.Failure!.Value);

        // The server's responder answering after the loss is ignored.
        never.Callback(new Total(1));
    }

    // AMP2: test_excessiveKeyFailure: a key length over 255 from the peer drops the connection; calls fail with TooLong.
    [Fact]
    public void KeyTooLongFromThePeer_ClosesAndFailsOutstandingCalls_AMP2()
    {
        var raw = new MemoryTransport();
        var client = new AmpProtocol();
        client.MakeConnection(raw);
        var d = client.CallRemote(Sum, new SumArgs(1, 2));
        client.DataReceived(B(@"\x01\x00"));
        Assert.True(raw.Disconnecting);
        client.ConnectionLost(Protocol.ConnectionDone);
        var e = Assert.IsType<AmpTooLongException>(d.Result.Failure!.Value);
        Assert.True(e.IsKey);
        Assert.False(e.IsLocal);
    }

    // AMP3: test_sillyEmptyThing, and an answer to a question never asked: protocol errors, this connection only.
    [Theory]
    [InlineData(@"\x00\x00")]
    [InlineData(@"\x00\x07_answer\x00\x0299\x00\x00")]
    [InlineData(@"\x00\x06_error\x00\x0299\x00\x00")]
    [InlineData(@"\x00\x01x\x00\x01y\x00\x00")]
    [InlineData(@"\x00\x07_answer\x00\x0201\x00\x00")]
    [InlineData(@"\x00\x07_answer\x00\x01A\x00\x00")]
    public void BoxesThatAreNeitherRequestsNorReplies_CloseTheConnection_AMP3(string latin1)
    {
        var raw = new MemoryTransport();
        var amp = new AmpProtocol();
        amp.MakeConnection(raw);
        amp.DataReceived(B(latin1));
        Assert.True(raw.Disconnecting);
        Assert.IsType<AmpProtocolException>(amp.ClosedReason!.Value);
        Assert.IsType<AmpProtocolException>(amp.CallRemote(Sum, new SumArgs(1, 1)).Result.Failure!.Value);
    }

    [Fact]
    public void BoxOverMaxBoxLength_ClosesTheConnection()
    {
        var raw = new MemoryTransport();
        var amp = new AmpProtocol { MaxBoxLength = 1000 };
        amp.MakeConnection(raw);
        amp.DataReceived(new AmpBox { ["_command"] = B("Sum"), ["big"] = new byte[2000] }.Serialize().AsSpan(0, 30));
        Assert.True(raw.Disconnecting);
        Assert.Contains("1000", amp.ClosedReason!.Value.Message);
    }

    // Random bytes from the peer: the connection is closed cleanly or keeps waiting; nothing escapes DataReceived.
    [Fact]
    public void RandomInput_NeverThrowsOutOfDataReceived()
    {
        for (var seed = 0; seed < 100; seed++)
        {
            var rng = new Random(seed);
            var raw = new MemoryTransport();
            var amp = new AmpProtocol(SumResponders());
            amp.MakeConnection(raw);
            var data = new byte[rng.Next(1, 400)];
            rng.NextBytes(data);
            for (var i = 0; i < data.Length && !raw.Disconnecting;)
            {
                var n = Math.Min(rng.Next(1, 30), data.Length - i);
                amp.DataReceived(data.AsSpan(i, n));
                i += n;
            }
            Assert.False(raw.Disconnected);   // closed with LoseConnection only, never aborted
        }
    }

    [Fact]
    public void Responders_RefuseASecondResponderForACommand()
    {
        var responders = new AmpResponders().Add(Sum, a => new Total(0));
        Assert.Throws<ArgumentException>(() => responders.Add(Sum, a => new Total(1)));
        Assert.True(responders.Contains("Sum"));
    }

    [Fact]
    public void Commands_RefuseAmpsOwnErrorCodesAndDuplicates()
    {
        var errors = new AmpErrors();
        Assert.Throws<ArgumentException>(() => errors.Add("UNKNOWN", m => new Exception(m)));
        Assert.Throws<ArgumentException>(() => errors.Add("UNHANDLED", m => new Exception(m)));
        errors.Add("X", m => new Exception(m));
        Assert.Throws<ArgumentException>(() => errors.Add("X", m => new Exception(m)));
    }
    [Fact]
    public void CallRemote_BeforeConnecting_Throws_AndLeavesNoCallBehind()
    {
        var amp = new AmpProtocol();
        Assert.Throws<InvalidOperationException>(() => amp.CallRemote(Sum, new SumArgs(1, 2)));
        Assert.Equal(0, amp.OutstandingCalls);
    }

    // AMP1: a box split at every possible point between two reads is answered exactly once.
    [Fact]
    public void RequestSplitAnywhere_IsAnsweredOnce_AMP1()
    {
        var request = new AmpBox { ["_command"] = B("Sum"), ["_ask"] = B("7"), ["a"] = B("2"), ["b"] = B("3") }.Serialize();
        for (var cut = 0; cut <= request.Length; cut++)
        {
            var raw = new MemoryTransport();
            var server = new AmpProtocol(SumResponders());
            server.MakeConnection(raw);
            server.DataReceived(request.AsSpan(0, cut));
            server.DataReceived(request.AsSpan(cut));
            var reply = AmpBox.ParseMany(raw.Value()).Single();
            Assert.Equal(B("7"), reply["_answer"]);
            Assert.Equal(B("5"), reply["total"]);
        }
    }

    // A malformed argument value from the peer is UNKNOWN (AMP5), like any argument that cannot be parsed.
    [Fact]
    public void MalformedArgumentValue_IsUnknown_AMP5_AMP11()
    {
        var raw = new MemoryTransport();
        var server = new AmpProtocol(SumResponders());
        server.MakeConnection(raw);
        server.DataReceived(new AmpBox { ["_command"] = B("Sum"), ["_ask"] = B("1"), ["a"] = B("one"), ["b"] = B("2") }.Serialize());
        Assert.Equal(B("UNKNOWN"), AmpBox.ParseMany(raw.Value()).Single()["_error_code"]);
    }

    // The answer's fields are checked too: a reply without them fails that call only, and the connection stays.
    [Fact]
    public void AnswerMissingAResponseField_FailsThatCall()
    {
        var raw = new MemoryTransport();
        var client = new AmpProtocol();
        client.MakeConnection(raw);
        var d = client.CallRemote(Sum, new SumArgs(1, 2));
        client.DataReceived(new AmpBox { ["_answer"] = B("1") }.Serialize());
        Assert.Equal("total", Assert.IsType<AmpArgumentException>(d.Result.Failure!.Value).Key);
        Assert.Null(client.ClosedReason);
    }
    // AMP4: tags are echoed byte for byte; "01" or "1 " is not the question tagged "1".
    [Theory]
    [InlineData("01")]
    [InlineData("1 ")]
    [InlineData("")]
    public void AnswerWithAnotherSpellingOfTheTag_IsNotAnAnswer_AMP3_AMP4(string tag)
    {
        var raw = new MemoryTransport();
        var client = new AmpProtocol();
        client.MakeConnection(raw);
        var d = client.CallRemote(Sum, new SumArgs(1, 2));
        client.DataReceived(new AmpBox { ["_answer"] = B(tag), ["total"] = B("3") }.Serialize());
        Assert.True(raw.Disconnecting);
        client.ConnectionLost(Protocol.ConnectionDone);
        Assert.IsType<AmpProtocolException>(d.Result.Failure!.Value);
    }
}
