using System.Text;
using Twine.Protocols;
using Twine.Testing;

namespace Twine.Tests.Protocols;

public sealed class LineOnlyReceiverTests
{
    private static string S(ReadOnlySpan<byte> b) => Encoding.ASCII.GetString(b);

    private sealed class Tester : LineOnlyReceiver
    {
        public readonly List<string> Lines = new();
        public readonly List<string> Exceeded = new();
        public Action<Tester, string>? OnLine;
        public bool KeepConnection;

        protected override void LineReceived(ReadOnlySpan<byte> line)
        {
            var text = S(line);
            Lines.Add(text);
            OnLine?.Invoke(this, text);
        }

        protected override void LineLengthExceeded(ReadOnlySpan<byte> line)
        {
            Exceeded.Add(S(line));
            if (!KeepConnection) base.LineLengthExceeded(line);
        }
    }

    private static (Tester, MemoryTransport) Connected(int maxLength = 16384)
    {
        var r = new Tester { MaxLength = maxLength };
        var t = new MemoryTransport();
        r.MakeConnection(t);
        return (r, t);
    }

    [Fact]
    public void LO1_GreaterThanMaximumLineLengthDisconnectsWithJustThatLine()
    {
        var (r, t) = Connected(3);
        r.DataReceived("ok\r\nxxxx\r\nnever\r\ntail"u8);
        Assert.Equal(["ok"], r.Lines);
        Assert.Equal(["xxxx"], r.Exceeded);
        Assert.True(t.Disconnecting);
        // The complete lines after the long one are dropped; the unterminated tail stays, as in Twisted.
        Assert.Equal(4, r.BufferedLength);
    }

    [Fact]
    public void LO1_TheRemainderIsKeptSoAnOverrideThatKeepsTheConnectionSeesItAgain()
    {
        var (r, t) = Connected(3);
        r.KeepConnection = true;
        r.DataReceived("xxxx"u8);
        r.DataReceived("y"u8);
        Assert.Equal(["xxxx", "xxxxy"], r.Exceeded);
        r.DataReceived("\r\nok\r\n"u8);
        Assert.Equal(["xxxx", "xxxxy", "xxxxy"], r.Exceeded);
        Assert.Empty(r.Lines);                 // the rest of that chunk is dropped after a long line
        Assert.False(t.Disconnecting);
    }

    [Fact]
    public void LO1_UnterminatedRemainderIsRejectedAsSoonAsItExceedsMaxLength()
    {
        // The threshold differs from LineReceiver's: MaxLength, not MaxLength + delimiter length - 1.
        var (r, t) = Connected(3);
        r.DataReceived("xxx"u8);
        Assert.False(t.Disconnecting);
        r.DataReceived("\r"u8);
        Assert.True(t.Disconnecting);
        Assert.Equal(["xxx\r"], r.Exceeded);
    }

    [Fact]
    public void LO1_DisconnectingStopsDeliveryAndDropsTheOtherCompleteLines()
    {
        var (r, t) = Connected();
        r.OnLine = (p, line) => { if (line == "quit") p.Transport.LoseConnection(); };
        r.DataReceived("a\r\nquit\r\nb\r\nc\r\npartial"u8);
        Assert.Equal(["a", "quit"], r.Lines);
        Assert.True(t.Disconnecting);
        Assert.Equal("partial".Length, r.BufferedLength);
        r.DataReceived("\r\nd\r\n"u8);
        Assert.Equal(["a", "quit"], r.Lines);
    }

    [Fact]
    public void LO1_DataReceivedFromInsideLineReceivedIsParsedAfterwardsInOrder()
    {
        var (r, _) = Connected();
        r.OnLine = (p, line) => { if (line == "a") p.DataReceived("x\r\n"u8); };
        r.DataReceived("a\r\nb\r\n"u8);
        Assert.Equal(["a", "b", "x"], r.Lines);
    }
}
