using System.Text;
using Twine.Protocols;
using Twine.Testing;
using Twine.Time;

namespace Twine.Tests.Protocols;

public sealed class LineReceiverTests
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);
    private static string S(ReadOnlySpan<byte> b) => Encoding.ASCII.GetString(b);

    /// <summary>The C# counterpart of Twisted's LineTester (pt/test_basic.py).</summary>
    private sealed class LineTester : LineReceiver
    {
        private readonly Clock? _clock;
        private int _length;
        public readonly List<string> Received = new();

        public LineTester(Clock? clock = null)
        {
            _clock = clock;
            Delimiter = "\n"u8.ToArray();
            MaxLength = 64;
        }

        protected override void LineReceived(ReadOnlySpan<byte> line)
        {
            var text = S(line);
            Received.Add(text);
            if (text == "") SetRawMode();
            else if (text == "pause")
            {
                PauseProducing();
                _clock!.CallLater(TimeSpan.Zero, ResumeProducing);
            }
            else if (text == "rawpause")
            {
                PauseProducing();
                SetRawMode();
                Received.Add("");
                _clock!.CallLater(TimeSpan.Zero, ResumeProducing);
            }
            else if (text == "stop") StopProducing();
            else if (text.StartsWith("len ", StringComparison.Ordinal)) _length = int.Parse(text[4..]);
            else if (text.StartsWith("produce", StringComparison.Ordinal)) Transport.RegisterProducer(this, false);
            else if (text.StartsWith("unproduce", StringComparison.Ordinal)) Transport.UnregisterProducer();
        }

        protected override void RawDataReceived(ReadOnlySpan<byte> data)
        {
            var take = Math.Min(_length, data.Length);
            var rest = data[take..];
            _length -= take;
            Received[^1] += S(data[..take]);
            if (_length == 0) SetLineMode(rest);
        }

        protected override void LineLengthExceeded(ReadOnlySpan<byte> line)
        {
            if (line.Length > MaxLength + 1) SetLineMode(line[(MaxLength + 1)..]);
        }
    }

    private const string Buffer = "len 10\n\n0123456789len 5\n\n1234\nlen 20\nfoo 123\n\n0123456789\n012345678len 0\nfoo 5\n\n" +
        "1234567890123456789012345678901234567890123456789012345678901234567890\nlen 1\n\na";

    private static readonly string[] Output =
        ["len 10", "0123456789", "len 5", "1234\n", "len 20", "foo 123", "0123456789\n012345678",
         "len 0", "foo 5", "", "67890", "len 1", "a"];

    private static void Feed(LineReceiver r, byte[] data, int packetSize)
    {
        for (var i = 0; i < data.Length; i += packetSize)
            r.DataReceived(data.AsSpan(i, Math.Min(packetSize, data.Length - i)));
    }

    [Fact]
    public void LR1_LR4_BufferAcrossChunkSizesWithModeSwitches()
    {
        for (var packetSize = 1; packetSize < 10; packetSize++)
        {
            var a = new LineTester();
            a.MakeConnection(new MemoryTransport());
            Feed(a, B(Buffer), packetSize);
            Assert.Equal(Output, a.Received);
        }
    }

    private sealed class Collector : LineReceiver
    {
        public readonly List<string> Lines = new();
        public readonly List<string> Exceeded = new();
        public Action<Collector, string>? OnLine;
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

    private static (Collector, MemoryTransport) Connected(int maxLength = 16384)
    {
        var r = new Collector { MaxLength = maxLength };
        var t = new MemoryTransport();
        r.MakeConnection(t);
        return (r, t);
    }

    [Fact]
    public void LR2_ALongerCompleteLineGetsLineLengthExceededWithTheRestOfTheBufferAndDisconnects()
    {
        var (r, t) = Connected(4);
        r.DataReceived("xxxxx\r\nrest\r\nmore"u8);
        Assert.Empty(r.Lines);
        Assert.Equal(["xxxxx\r\nrest\r\nmore"], r.Exceeded);
        Assert.Equal(0, r.BufferedLength);
        Assert.True(t.Disconnecting);
    }

    [Fact]
    public void LR2_UnterminatedBufferIsToleratedBelowMaxPlusDelimiterLength()
    {
        var (r, t) = Connected(4);
        r.DataReceived("xxxxx"u8);                  // 5 < 4 + 2
        Assert.False(t.Disconnecting);
        Assert.Empty(r.Exceeded);
        r.DataReceived("x"u8);                      // 6 >= 4 + 2
        Assert.Equal(["xxxxxx"], r.Exceeded);
        Assert.True(t.Disconnecting);
    }

    [Fact]
    public void LR2_NotQuiteMaximumLineLengthUnfinished()
    {
        var (r, t) = Connected();
        r.DataReceived(B(new string('x', 16384) + "\r"));
        Assert.False(t.Disconnecting);
        r.DataReceived("\n"u8);
        Assert.Equal(16384, Assert.Single(r.Lines).Length);
    }

    [Fact]
    public void LR2_MaximumLineLengthPartialDelimiter()
    {
        var (r, t) = Connected(4);
        r.DataReceived("xxxx"u8);
        r.DataReceived("\r"u8);                     // 5 bytes: could be the start of the delimiter
        r.DataReceived("\nxxxx"u8);                 // 10 bytes in all, but a complete line of MaxLength
        Assert.False(t.Disconnecting);
        Assert.Equal(["xxxx"], r.Lines);
    }

    [Fact]
    public void LR2_AnOverrideThatKeepsTheConnectionSeesAClearedBuffer()
    {
        var (r, t) = Connected(3);
        r.KeepConnection = true;
        r.DataReceived("xxxxxx"u8);
        Assert.Equal(["xxxxxx"], r.Exceeded);
        Assert.Equal(0, r.BufferedLength);
        r.DataReceived("ok\r\n"u8);
        Assert.Equal(["ok"], r.Lines);
        Assert.False(t.Disconnecting);
    }

    [Fact]
    public void LR2_LongUnendedLine()
    {
        var (r, t) = Connected(3);
        r.DataReceived(B(new string('x', 3 * 2 + 2)));
        Assert.True(t.Disconnecting);
        Assert.Empty(r.Lines);
    }

    [Fact]
    public void LR2_LongLineAfterShortLineDeliversTheShortLineFirst()
    {
        var (r, t) = Connected(3);
        r.DataReceived(B("x\r\n" + new string('x', 8)));
        Assert.Equal(["x"], r.Lines);
        Assert.True(t.Disconnecting);
    }

    [Fact]
    public void LR2_LongLinesWithDelimitersAndMultipleLongLines()
    {
        var (r, t) = Connected(3);
        r.DataReceived(B(string.Join("\r\n", Enumerable.Repeat(new string('x', 8), 3))));
        Assert.True(t.Disconnecting);
        Assert.Empty(r.Lines);

        var (r2, t2) = Connected(3);
        r2.DataReceived(B(new string('x', 8) + "\r\n" + new string('x', 8) + "\r\n"));
        Assert.True(t2.Disconnecting);
        Assert.Single(r2.Exceeded);
    }

    [Fact]
    public void LR3_DisconnectingStopsProcessingTheRemainingLines()
    {
        var (r, t) = Connected();
        r.OnLine = (c, line) => { if (line == "quit") c.Transport.LoseConnection(); };
        r.DataReceived("a\r\nquit\r\nb\r\nc\r\n"u8);
        Assert.Equal(["a", "quit"], r.Lines);
        Assert.True(t.Disconnecting);
        Assert.Equal(6, r.BufferedLength);
    }

    [Fact]
    public void LR3_StopProcessingLeavesTheRestBufferedForTheNextCall()
    {
        var (r, _) = Connected();
        r.OnLine = (c, line) => { if (line == "stop") c.StopProcessing(); };
        r.DataReceived("a\r\nstop\r\nb\r\n"u8);
        Assert.Equal(["a", "stop"], r.Lines);
        r.DataReceived(default);
        Assert.Equal(["a", "stop", "b"], r.Lines);
    }

    private sealed class RawStopper : LineReceiver
    {
        public readonly List<string> Raw = new();
        protected override void LineReceived(ReadOnlySpan<byte> line) => throw new InvalidOperationException("no lines expected");
        protected override void RawDataReceived(ReadOnlySpan<byte> data)
        {
            Raw.Add(S(data));
            if (Raw.Count == 1)
            {
                DataReceived("more"u8);          // re-entrant: only appended
                StopProcessing();
            }
        }
    }

    [Fact]
    public void LR3_StopProcessingInRawMode()
    {
        var r = new RawStopper();
        r.MakeConnection(new MemoryTransport());
        r.SetRawMode();
        r.DataReceived("data"u8);
        Assert.Equal(["data"], r.Raw);
        Assert.Equal(4, r.BufferedLength);
        r.DataReceived(default);
        Assert.Equal(["data", "more"], r.Raw);
    }

    private sealed class Switcher : LineReceiver
    {
        public int Lines, RawChunks;
        public Switcher() => Delimiter = "\n"u8.ToArray();
        protected override void LineReceived(ReadOnlySpan<byte> line)
        {
            Lines++;
            SetRawMode();
        }
        protected override void RawDataReceived(ReadOnlySpan<byte> data)
        {
            RawChunks++;
            // Hand everything back to line mode: one switch per line, all on one chunk.
            SetLineMode(data);
        }
    }

    [Fact]
    public void LR4_ThousandsOfModeSwitchesOnOneChunkDoNotRecurse()
    {
        const int count = 200_000;
        var r = new Switcher();
        r.MakeConnection(new MemoryTransport());
        var data = new byte[count * 2];
        for (var i = 0; i < count; i++) { data[2 * i] = (byte)'x'; data[2 * i + 1] = (byte)'\n'; }
        r.DataReceived(data);
        Assert.Equal(count, r.Lines);
        Assert.Equal(count - 1, r.RawChunks);
    }

    [Fact]
    public void LR4_SetRawModeDeliversTheRestAsOneChunkAndSetLineModeReparsesExtra()
    {
        var r = new LineTester();
        r.MakeConnection(new MemoryTransport());
        r.DataReceived("len 3\n\nabcline\n"u8);
        Assert.Equal(["len 3", "abc", "line"], r.Received);
        Assert.True(r.LineMode);
    }

    [Fact]
    public void LR5_PausingBuffersUntilResumed()
    {
        var buf = B("twiddle1\ntwiddle2\npause\ntwiddle3\n");
        for (var packetSize = 1; packetSize < 10; packetSize++)
        {
            var clock = new Clock();
            var a = new LineTester(clock);
            a.MakeConnection(new MemoryTransport());
            Feed(a, buf, packetSize);
            Assert.Equal(["twiddle1", "twiddle2", "pause"], a.Received);
            clock.Advance(TimeSpan.Zero);
            Assert.Equal(["twiddle1", "twiddle2", "pause", "twiddle3"], a.Received);
        }
    }

    [Fact]
    public void LR5_RawPausing()
    {
        var buf = B("twiddle1\ntwiddle2\nlen 5\nrawpause\n12345twiddle3\n");
        for (var packetSize = 1; packetSize < 10; packetSize++)
        {
            var clock = new Clock();
            var a = new LineTester(clock);
            a.MakeConnection(new MemoryTransport());
            Feed(a, buf, packetSize);
            Assert.Equal(["twiddle1", "twiddle2", "len 5", "rawpause", ""], a.Received);
            clock.Advance(TimeSpan.Zero);
            Assert.Equal(["twiddle1", "twiddle2", "len 5", "rawpause", "12345", "twiddle3"], a.Received);
        }
    }

    [Fact]
    public void LR5_StopProducingStopsDelivery()
    {
        var buf = B("twiddle1\ntwiddle2\nstop\nmore\nstuff\n");
        for (var packetSize = 1; packetSize < 10; packetSize++)
        {
            var a = new LineTester();
            var t = new MemoryTransport();
            a.MakeConnection(t);
            Feed(a, buf, packetSize);
            Assert.Equal(["twiddle1", "twiddle2", "stop"], a.Received);
            Assert.Equal(ProducerState.Stopped, t.ProducerState);
        }
    }

    [Fact]
    public void LR5_PauseResumeDrivesTheTransport()
    {
        var (p, t) = Connected();
        p.DataReceived("hello, "u8);
        Assert.Empty(p.Lines);
        Assert.Equal(ProducerState.Producing, t.ProducerState);
        p.DataReceived("world\r\n"u8);
        Assert.Equal(["hello, world"], p.Lines);

        p.PauseProducing();
        Assert.Equal(ProducerState.Paused, t.ProducerState);
        p.DataReceived("hello\r\nworld\r\n"u8);
        Assert.Equal(["hello, world"], p.Lines);

        p.ResumeProducing();
        Assert.Equal(["hello, world", "hello", "world"], p.Lines);
        Assert.Equal(ProducerState.Producing, t.ProducerState);

        p.PauseProducing();
        p.DataReceived("goodbye\r\n"u8);
        p.StopProducing();
        Assert.Equal(ProducerState.Stopped, t.ProducerState);
        p.DataReceived("hello\r\n"u8);
        Assert.Equal(["hello, world", "hello", "world"], p.Lines);
    }

    [Fact]
    public void LR5_PausingInsideLineReceivedStopsRightAfterThatLine()
    {
        var (p, _) = Connected();
        p.OnLine = (c, line) => { if (line == "p") c.PauseProducing(); };
        p.DataReceived("a\r\np\r\nb\r\n"u8);
        Assert.Equal(["a", "p"], p.Lines);
        p.ResumeProducing();
        Assert.Equal(["a", "p", "b"], p.Lines);
    }

    [Fact]
    public void LR5_LineReceiverAsANonStreamingProducer()
    {
        var a = new LineTester();
        var t = new MemoryTransport();
        a.MakeConnection(t);
        a.DataReceived("produce\nhello world\nunproduce\ngoodbye\n"u8);
        Assert.Equal(["produce", "hello world", "unproduce", "goodbye"], a.Received);
        Assert.Null(t.Producer);
    }

    private sealed class Clearing : LineReceiver
    {
        public string? Line;
        public byte[]? Rest;
        protected override void LineReceived(ReadOnlySpan<byte> line)
        {
            Rest = ClearLineBuffer();
            // The span stays valid even though the buffer was cleared and refilled.
            DataReceived("zzzzzzzzzzzzzzzzzzzz"u8);
            ClearLineBuffer();
            Line = S(line);
        }
    }

    [Fact]
    public void LR6_ClearLineBufferFromInsideLineReceived()
    {
        var p = new Clearing();
        p.MakeConnection(new MemoryTransport());
        p.DataReceived("foo\r\nbar\r\nbaz"u8);
        Assert.Equal("foo", p.Line);
        Assert.Equal("bar\r\nbaz", S(p.Rest));
        p.DataReceived("quux\r\n"u8);
        Assert.Equal("quux", p.Line);
        Assert.Equal("", S(p.Rest));
    }

    private sealed class NoRaw : LineReceiver
    {
        protected override void LineReceived(ReadOnlySpan<byte> line) => SetRawMode();
    }

    [Fact]
    public void LR7_RawModeWithoutOverridingRawDataReceivedThrows()
    {
        var p = new NoRaw();
        p.MakeConnection(new MemoryTransport());
        Assert.Throws<InvalidOperationException>(() => p.DataReceived("x\r\nraw"u8));
    }
}

/// <summary>A MemoryTransport that counts the writes made through the transport interface.</summary>
internal sealed class CountingTransport : MemoryTransport, Twine.Net.IConsumer
{
    public int Writes;
    void Twine.Net.IConsumer.Write(ReadOnlySpan<byte> data) { Writes++; Write(data); }
}
