using System.Text;
using Twine.Protocols;
using Twine.Testing;

namespace Twine.Tests.Protocols;

public sealed class NetstringReceiverTests
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    private sealed class TestNetstring : NetstringReceiver
    {
        public readonly List<byte[]> Received = new();
        protected override void StringReceived(ReadOnlySpan<byte> payload) => Received.Add(payload.ToArray());
    }

    private static (TestNetstring, MemoryTransport) Connected(int maxLength = 99999)
    {
        var r = new TestNetstring { MaxLength = maxLength };
        var t = new MemoryTransport();
        r.MakeConnection(t);
        return (r, t);
    }

    private static readonly string[] Strings = ["hello", "world", "how", "are", "you123", ":today", new string('a', 515)];

    [Fact]
    public void NS1_NS2_BufferRoundTripAcrossChunkSizes()
    {
        for (var packetSize = 1; packetSize < 10; packetSize++)
        {
            var (a, t) = Connected(699);
            foreach (var s in Strings) a.SendString(B(s));
            var output = t.Value();
            for (var i = 0; i < output.Length; i += packetSize)
                a.DataReceived(output.AsSpan(i, Math.Min(packetSize, output.Length - i)));
            Assert.Equal(Strings, a.Received.Select(Encoding.ASCII.GetString));
            Assert.False(t.Disconnecting);
        }
    }

    [Fact]
    public void NS1_SendStringWritesLengthColonPayloadComma()
    {
        var (a, t) = Connected();
        a.SendString("foo"u8);
        a.SendString(""u8);
        a.SendString("héllo");
        Assert.Equal("3:foo,0:,6:héllo,", t.ValueAsString());
        Assert.Equal(99999, new TestNetstring().MaxLength);
    }

    [Theory]
    [InlineData("0:,", "")]
    [InlineData("1:a,", "a")]
    [InlineData("2:ab,", "ab")]
    [InlineData("4:1:a,,", "1:a,")]
    public void NS1_ReceivesSmallAndNestedNetstrings(string wire, string payload)
    {
        var (a, t) = Connected();
        a.DataReceived(B(wire));
        Assert.Equal(payload, Encoding.ASCII.GetString(Assert.Single(a.Received)));
        Assert.False(t.Disconnecting);
    }

    [Theory]
    [InlineData(new[] { "1", "0:01234", "56789", "," }, new[] { "0123456789" })]
    [InlineData(new[] { "2:", "ab", "," }, new[] { "ab" })]
    [InlineData(new[] { "2", ":ab", "," }, new[] { "ab" })]
    [InlineData(new[] { "1", ":a,1", ":b", "," }, new[] { "a", "b" })]
    public void NS2_PortionsAndSeveralNetstrings(string[] parts, string[] expected)
    {
        var (a, _) = Connected();
        foreach (var part in parts) a.DataReceived(B(part));
        Assert.Equal(expected, a.Received.Select(Encoding.ASCII.GetString));
    }

    [Fact]
    public void NS2_TwoNetstringsAreDeliveredAsSoonAsEachCompletes()
    {
        var (a, _) = Connected();
        a.DataReceived("1"u8);
        a.DataReceived(":a,1"u8);
        Assert.Single(a.Received);
        a.DataReceived(":b"u8);
        Assert.Single(a.Received);
        a.DataReceived(","u8);
        Assert.Equal(2, a.Received.Count);
    }

    [Theory]
    [InlineData("2:aaa,", NetstringParseException.MissingComma)]         // more data than specified
    [InlineData("0:a,", NetstringParseException.MissingComma)]           // border case
    [InlineData(":aaa,", NetstringParseException.MissingLength)]         // missing number
    [InlineData("3aaa,", NetstringParseException.MissingLength)]         // missing colon
    [InlineData("aaa,", NetstringParseException.MissingLength)]          // missing number and colon
    [InlineData("aaa", NetstringParseException.MissingLength)]           // only data
    [InlineData("007:abcdefg,", NetstringParseException.MissingLength)]  // leading zeros
    [InlineData("00", NetstringParseException.MissingLength)]
    [InlineData("abc", NetstringParseException.MissingLength)]
    [InlineData("4:abcde", NetstringParseException.MissingComma)]
    [InlineData("9999999999999999999999", "too long")]
    [InlineData("1000000", "too long")]
    public void NS3_ParseErrorsLoseTheConnectionAndSetBrokenPeer(string wire, string message)
    {
        var (a, t) = Connected();
        a.DataReceived(B(wire));
        Assert.True(t.Disconnecting);
        Assert.True(a.BrokenPeer);
        if (message == "too long") Assert.Contains("longer than the maximum 99999", a.ParseError!.Message);
        else Assert.Equal(message, a.ParseError!.Message);
        Assert.Empty(a.Received);
    }

    [Fact]
    public void NS3_IllegalWrongLength()
    {
        var (a, t) = Connected();
        a.DataReceived(B("51:" + new string('a', 52) + ","));
        Assert.True(t.Disconnecting);
    }

    [Fact]
    public void NS3_MaxReceiveLimitIsCheckedBeforeTheColonArrives()
    {
        var (a, t) = Connected();
        a.DataReceived("100000"u8);            // six digits, no colon yet: already over 99999
        Assert.True(t.Disconnecting);
        Assert.True(a.BrokenPeer);

        var (b, u) = Connected();
        b.DataReceived("99999"u8);             // equal to the maximum: keep waiting
        Assert.False(u.Disconnecting);
    }

    [Fact]
    public void NS3_MaxReceiveLimitWithPayload()
    {
        var (a, t) = Connected();
        a.DataReceived(B("100000:" + new string('a', 100000)));
        Assert.True(t.Disconnecting);
        Assert.Empty(a.Received);
    }

    [Fact]
    public void NS3_ConsumeLengthBorderCases()
    {
        var (a, t) = Connected(12);
        a.DataReceived(B("12:" + new string('x', 12) + ","));
        Assert.Single(a.Received);                      // equal to MaxLength: allowed
        Assert.False(t.Disconnecting);

        var (b, u) = Connected(11);
        b.DataReceived("12:"u8);                        // MaxLength + 1: error
        Assert.True(u.Disconnecting);

        var (c, v) = Connected(11);
        c.DataReceived("1000:"u8);
        Assert.True(v.Disconnecting);
    }

    [Fact]
    public void NS3_TooManyDigitsAreRejectedBeforeConversion()
    {
        // ceil(log10(99999)) + 1 = 6 digits at most; a 7-digit "0000001"-style number is refused on size alone.
        var (a, t) = Connected();
        a.DataReceived("1234567"u8);
        Assert.True(t.Disconnecting);
        Assert.Contains("longer than the maximum", a.ParseError!.Message);
    }

    [Fact]
    public void NS3_NothingIsParsedAfterABrokenPeer()
    {
        var (a, _) = Connected();
        a.DataReceived("x"u8);
        a.DataReceived("3:abc,"u8);
        Assert.Empty(a.Received);
        Assert.Equal(NetstringParseException.MissingLength, a.ParseError!.Message);
    }

    [Fact]
    public void NS3_ValidNetstringsBeforeTheErrorAreDelivered()
    {
        var (a, t) = Connected();
        a.DataReceived("3:abc,2:de,x"u8);
        Assert.Equal(["abc", "de"], a.Received.Select(Encoding.ASCII.GetString));
        Assert.True(t.Disconnecting);
    }
}
