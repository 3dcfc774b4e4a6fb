using System.Text;
using Twine.Defer;
using Twine.Protocols.Amp;
using Twine.Testing;

namespace Twine.Tests.Protocols.Amp;

/// <summary>
/// The per-call fast paths: requests and answers of built-in types are written straight to the transport, and received
/// boxes are read in place. Each must give exactly what the general AmpBox path gives (AMP1, AMP4, AMP5).
/// </summary>
public sealed class AmpDirectPathTests
{
    private static byte[] B(string wire) => AmpWire.Bytes(wire);

    public sealed record Everything(
        long Zeta, byte[] Alpha, string Mid, bool Flag, double Ratio, AmpDecimal Price, DateTimeOffset When,
        IReadOnlyList<long> Numbers, IReadOnlyList<Pair> Pairs, long? Maybe, string? Absent, System.Numerics.BigInteger Huge);

    public sealed record Pair(string Name, long Value);

    private static readonly AmpSchema<Pair> PairSchema = AmpSchema.Of(
        AmpType.Unicode.Field("name", (Pair p) => p.Name), AmpType.Integer.Field("value", (Pair p) => p.Value), (n, v) => new Pair(n, v));

    // Declared out of key order (and with an upper-case key, which sorts before '_'), so the writer has to sort.
    private static readonly AmpSchema<Everything> EverythingSchema = AmpSchema.Of(
        AmpType.Integer.Field("zeta", (Everything e) => e.Zeta),
        AmpType.String.Field("Alpha", (Everything e) => e.Alpha),
        AmpType.Unicode.Field("mid", (Everything e) => e.Mid),
        AmpType.Boolean.Field("flag", (Everything e) => e.Flag),
        AmpType.Float.Field("ratio", (Everything e) => e.Ratio),
        AmpType.Decimal.Field("price", (Everything e) => e.Price),
        AmpType.DateTime.Field("when", (Everything e) => e.When),
        AmpType.ListOf(AmpType.Integer).Field("numbers", (Everything e) => e.Numbers),
        AmpType.AmpList(PairSchema).Field("pairs", (Everything e) => e.Pairs),
        AmpType.Nullable(AmpType.Integer).OptionalField("maybe", (Everything e) => e.Maybe),
        AmpType.Unicode.OptionalField("absent", (Everything e) => e.Absent),
        AmpType.BigInteger.Field("_huge", (Everything e) => e.Huge),
        (z, a, m, f, r, p, w, n, ps, mb, ab, h) => new Everything(z, a, m, f, r, p, w, n, ps, mb, ab, h));

    private static readonly AmpCommand<Everything, Everything> Echo = new("Echo", EverythingSchema, EverythingSchema);

    private static Everything Sample() => new(
        -42, [0, 1, 255], "naïve ☃", true, 0.1, AmpDecimal.Parse("1.50"),
        new DateTimeOffset(2012, 1, 23, 12, 34, 56, TimeSpan.FromHours(2)), [1, -2, 3], [new Pair("a", 1), new Pair("b", 2)],
        7, null, System.Numerics.BigInteger.Pow(10, 30));

    /// <summary>What the general path sends: the schema writes an AmpBox, the reserved keys are added, the box is serialized.</summary>
    private static byte[] ViaBox(Everything value, params (string Key, string Value)[] reserved)
    {
        var box = new AmpBox();
        EverythingSchema.Write(value, box);
        foreach (var (key, v) in reserved) box[key] = Encoding.Latin1.GetBytes(v);
        return box.Serialize();
    }

    [Fact]
    public void Request_WrittenDirectly_IsByteForByteTheBoxPath_AMP1_AMP4()
    {
        var client = new AmpProtocol();
        var transport = new MemoryTransport();
        client.MakeConnection(transport);
        client.CallRemote(Echo, Sample());
        Assert.Equal(ViaBox(Sample(), ("_ask", "1"), ("_command", "Echo")), transport.Value());
    }

    [Fact]
    public void Answer_WrittenDirectly_IsByteForByteTheBoxPath_AMP1_AMP5()
    {
        var server = new AmpProtocol(new AmpResponders().Add(Echo, e => e));
        var transport = new MemoryTransport();
        server.MakeConnection(transport);
        server.DataReceived(ViaBox(Sample(), ("_ask", "3f"), ("_command", "Echo")));
        Assert.Equal(ViaBox(Sample(), ("_answer", "3f")), transport.Value());
    }

    [Fact]
    public void EveryBuiltInType_RoundTripsThroughTheDirectPaths_AMP11()
    {
        var pair = LoopbackPump.Connect(new AmpProtocol(new AmpResponders().Add(Echo, e => e)), new AmpProtocol());
        var d = pair.Client.CallRemote(Echo, Sample());
        pair.Flush();
        var back = d.Result.Value;
        var sample = Sample();
        Assert.Equal(sample.Alpha, back.Alpha);
        Assert.Equal(sample.Numbers, back.Numbers);
        Assert.Equal(sample.Pairs, back.Pairs);
        Assert.Equal(sample with { Alpha = back.Alpha, Numbers = back.Numbers, Pairs = back.Pairs }, back);
    }

    // AMP5: a response the schema cannot encode is the responder's bug: UNKNOWN, close, and no half-written answer.
    [Fact]
    public void AnswerThatCannotBeEncoded_IsUnknown_AndNothingElseIsWritten_AMP5()
    {
        var server = new AmpProtocol(new AmpResponders().Add(Echo, e => e with { Mid = "\uD800 lone surrogate" }));
        var transport = new MemoryTransport();
        server.MakeConnection(transport);
        server.DataReceived(ViaBox(Sample(), ("_ask", "1"), ("_command", "Echo")));
        var reply = AmpBox.ParseMany(transport.Value()).Single();
        Assert.Equal(B("UNKNOWN"), reply["_error_code"]);
        Assert.False(reply.ContainsKey("_answer"));
        Assert.True(transport.Disconnecting);
    }

    [Fact]
    public void AnswerWithAValueOver65535Bytes_IsUnknown_AMP2_AMP5()
    {
        var server = new AmpProtocol(new AmpResponders().Add(Echo, e => e with { Mid = new string('x', 70_000) }));
        var transport = new MemoryTransport();
        server.MakeConnection(transport);
        server.DataReceived(ViaBox(Sample(), ("_ask", "1"), ("_command", "Echo")));
        Assert.Equal(B("UNKNOWN"), AmpBox.ParseMany(transport.Value()).Single()["_error_code"]);
    }

    // AMP4: a request without _ask gets no answer, also when the responder answers later.
    [Fact]
    public void RequestWithoutAsk_ToADeferredResponder_GetsNoAnswer_AMP4()
    {
        var later = new Deferred<Everything>();
        var server = new AmpProtocol(new AmpResponders().Add(Echo, _ => later));
        var transport = new MemoryTransport();
        server.MakeConnection(transport);
        server.DataReceived(ViaBox(Sample(), ("_command", "Echo")));
        later.Callback(Sample());
        Assert.Empty(transport.Value());
        Assert.False(transport.Disconnecting);
    }

    // A deferred answer carries the tag of its question even though the box it came in is long gone.
    [Fact]
    public void DeferredAnswer_CarriesItsTag_AfterLaterBoxesArrived_AMP4()
    {
        var pending = new List<Deferred<Everything>>();
        var server = new AmpProtocol(new AmpResponders().Add(Echo, _ =>
        {
            var d = new Deferred<Everything>();
            pending.Add(d);
            return d;
        }));
        var transport = new MemoryTransport();
        server.MakeConnection(transport);
        server.DataReceived([.. ViaBox(Sample(), ("_ask", "a1"), ("_command", "Echo")), .. ViaBox(Sample(), ("_ask", "b2"), ("_command", "Echo"))]);
        pending[1].Callback(Sample());
        pending[0].Callback(Sample());
        var replies = AmpBox.ParseMany(transport.Value());
        Assert.Equal([B("b2"), B("a1")], replies.Select(r => r["_answer"]));
    }

    // The public AmpBox API works the same on a received box, which is read in place until it must be expanded.
    [Fact]
    public void ReceivedBox_BehavesAsAnOrdinaryBox_AMP1()
    {
        // Unsorted, with a repeated key (the last one wins, as in Twisted).
        var wire = B(@"\x00\x01z\x00\x011\x00\x01a\x00\x02hi\x00\x01z\x00\x012\x00\x00");
        var received = AmpBox.ParseMany(wire).Single();
        Assert.True(received.ContainsKey("a"));
        Assert.False(received.ContainsKey("b"));
        Assert.Equal("hi", received.GetText("a"));
        var copy = received.Copy();
        Assert.Equal(2, received.Count);
        Assert.Equal(B("2"), received["z"]);
        Assert.Same(received["z"], received["z"]);
        received["b"] = B("new");
        Assert.True(received.Remove("a"));
        Assert.Equal(B(@"\x00\x01b\x00\x03new\x00\x01z\x00\x012\x00\x00"), received.Serialize());
        // The copy taken before the changes still has the received pairs, serialized sorted and without the repeat.
        Assert.Equal(B(@"\x00\x01a\x00\x02hi\x00\x01z\x00\x012\x00\x00"), copy.Serialize());
        Assert.Equal(["a", "z"], copy.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("{a: \"hi\", z: \"2\"}", copy.ToString());
    }

    [Fact]
    public void ReceivedBox_WithManyKeys_FindsEveryKey_AMP1()
    {
        var box = new AmpBox();
        for (var i = 0; i < 100; i++) box[$"k{i}"] = Encoding.ASCII.GetBytes($"v{i}");
        var received = AmpBox.ParseMany(box.Serialize()).Single();
        for (var i = 0; i < 100; i++) Assert.Equal($"v{i}", received.GetText($"k{i}"));
        Assert.Equal(100, received.Count);
    }
}
