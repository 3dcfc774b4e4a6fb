using System.Text;
using Twine.Net;
using Twine.Protocols;
using Twine.Testing;

namespace Twine.Tests.Protocols;

/// <summary>
/// The line rules LineReceiver and LineOnlyReceiver share (their one home is LineScanner), run once for each receiver:
/// defaults, delimiters split across chunks, the exact-MaxLength line, SendLine (LR1, LR2, LR7, LO1). What differs
/// between them is in LineReceiverTests and LineOnlyReceiverTests.
/// </summary>
public sealed class LineScannerTests
{
    private interface IRecorder
    {
        List<string> Lines { get; }
        ReadOnlyMemory<byte> Delimiter { get; set; }
        int MaxLength { get; set; }
        int BufferedLength { get; }
        void SendLine(ReadOnlySpan<byte> line);
        void SendLine(string line);
    }

    private sealed class WithRawMode : LineReceiver, IRecorder
    {
        public List<string> Lines { get; } = [];
        protected override void LineReceived(ReadOnlySpan<byte> line) => Lines.Add(Encoding.UTF8.GetString(line));
    }

    private sealed class LinesOnly : LineOnlyReceiver, IRecorder
    {
        public List<string> Lines { get; } = [];
        protected override void LineReceived(ReadOnlySpan<byte> line) => Lines.Add(Encoding.UTF8.GetString(line));
    }

    public static TheoryData<string> Kinds => new() { nameof(LineReceiver), nameof(LineOnlyReceiver) };

    private static (Protocol Protocol, IRecorder Lines) Make(string kind)
    {
        if (kind == nameof(LineReceiver))
        {
            var withRawMode = new WithRawMode();
            return (withRawMode, withRawMode);
        }
        var linesOnly = new LinesOnly();
        return (linesOnly, linesOnly);
    }

    private static (Protocol Protocol, IRecorder Lines, MemoryTransport Transport) Connected(string kind, MemoryTransport? transport = null)
    {
        var (p, r) = Make(kind);
        transport ??= new MemoryTransport();
        p.MakeConnection(transport);
        return (p, r, transport);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void LR1_LO1_DefaultsAreCrLfAnd16384(string kind)
    {
        var (_, r) = Make(kind);
        Assert.Equal("\r\n"u8.ToArray(), r.Delimiter.ToArray());
        Assert.Equal(16384, r.MaxLength);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void LR1_LO1_AnEmptyDelimiterIsRejected(string kind)
    {
        var (_, r) = Make(kind);
        var ex = Assert.Throws<ArgumentException>(() => r.Delimiter = ReadOnlyMemory<byte>.Empty);
        Assert.Contains("delimiter", ex.Message);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void LR1_LO1_LinesSurviveEveryChunkSizeAndDelimitersSplitAcrossChunks(string kind)
    {
        foreach (var delimiter in new[] { "\r\n", "\n", "<END>" })
        {
            var text = $"foo{delimiter}bleakness{delimiter}desolation{delimiter}plastic forks{delimiter}";
            var bytes = Encoding.ASCII.GetBytes(text);
            for (var packetSize = 1; packetSize < 10; packetSize++)
            {
                var (p, r, _) = Connected(kind);
                r.Delimiter = Encoding.ASCII.GetBytes(delimiter);
                for (var i = 0; i < bytes.Length; i += packetSize)
                    p.DataReceived(bytes.AsSpan(i, Math.Min(packetSize, bytes.Length - i)));
                Assert.Equal(["foo", "bleakness", "desolation", "plastic forks"], r.Lines);
                Assert.Equal(0, r.BufferedLength);
            }
        }
    }

    [Theory, MemberData(nameof(Kinds))]
    public void LR1_LO1_AnUnterminatedTailStaysBufferedUntilItsDelimiterArrives(string kind)
    {
        var (p, r, _) = Connected(kind);
        p.DataReceived("a\r\nb\r\nc"u8);
        Assert.Equal(["a", "b"], r.Lines);
        Assert.Equal(1, r.BufferedLength);
        p.DataReceived("\r"u8);
        p.DataReceived("\n"u8);
        Assert.Equal(["a", "b", "c"], r.Lines);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void LR2_LO1_ALineOfExactlyMaxLengthIsDelivered(string kind)
    {
        var (p, r, t) = Connected(kind);
        r.MaxLength = 4;
        p.DataReceived("xxxx\r\n"u8);
        Assert.Equal(["xxxx"], r.Lines);
        Assert.False(t.Disconnecting);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void LR7_LO1_SendLineIsOneWriteEndingWithTheCurrentDelimiter(string kind)
    {
        var t = new CountingTransport();
        var (_, r, _) = Connected(kind, t);
        r.SendLine("hello"u8);
        r.SendLine("wörld");
        Assert.Equal(2, t.Writes);
        Assert.Equal("hello\r\nwörld\r\n", t.ValueAsString());
        r.Delimiter = "\n"u8.ToArray();
        r.SendLine(""u8);
        Assert.EndsWith("\r\n\n", t.ValueAsString());
    }

    [Theory, MemberData(nameof(Kinds))]
    public void LR1_LO1_RandomBytesInRandomChunksGiveTheLinesOfTheWhole(string kind)
    {
        // Bytes drawn mostly from the delimiter's own characters, so partial and overlapping delimiters are common.
        var random = new Random(8);
        byte[] alphabet = "\r\n\r\nab<E>"u8.ToArray();
        foreach (var delimiter in new[] { "\r\n", "\n", "<E>", "\r\n\r\n" })
        {
            for (int round = 0; round < 200; round++)
            {
                var data = new byte[random.Next(0, 300)];
                for (int i = 0; i < data.Length; i++) data[i] = alphabet[random.Next(alphabet.Length)];
                var text = Encoding.ASCII.GetString(data);
                var expected = text.Split(delimiter)[..^1];   // the last piece is unterminated

                var (p, r, _) = Connected(kind);
                r.Delimiter = Encoding.ASCII.GetBytes(delimiter);
                for (int at = 0; at < data.Length;)
                {
                    int size = Math.Min(random.Next(1, 12), data.Length - at);
                    p.DataReceived(data.AsSpan(at, size));
                    at += size;
                }
                Assert.Equal(expected, r.Lines);
                Assert.Equal(text.Length - string.Join(delimiter, expected).Length - (expected.Length > 0 ? delimiter.Length : 0), r.BufferedLength);
            }
        }
    }
}
