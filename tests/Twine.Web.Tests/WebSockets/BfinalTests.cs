using System.IO.Compression;
using System.Text;

namespace Twine.Web.Tests.WebSockets;

/// <summary>
/// WS17: a peer that ends its compressed data with a BFINAL block (RFC 7692 §7.2.3.4) — its deflate stream, and its
/// context, end there; later messages are read by a fresh inflater, and what follows the final block in the same
/// message is read as the RFC's compression algorithm leaves it.
/// </summary>
public class BfinalTests
{
    private const string Deflate = "Sec-WebSocket-Extensions: permessage-deflate\r\n";
    private const string DeflateNoContext = "Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover; server_no_context_takeover\r\n";

    /// <summary>A whole deflate stream, its compressor finished (so its last block has BFINAL set): what a sender without sync flush makes.</summary>
    private static byte[] Finished(string text)
    {
        var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true)) deflate.Write(Encoding.UTF8.GetBytes(text));
        var bytes = output.ToArray();
        Assert.Equal(1, bytes[0] & 1);        // the first (and only) block is final
        return bytes;
    }

    private static byte[] Compressed(byte[] payload, bool fin = true, int opcode = 1) => WireFrames.Build(opcode, payload, fin, rsv: 4);

    private static List<string> Texts(ServerHarness h) => h.Protocol.Messages.Select(m => Encoding.UTF8.GetString(m.Payload)).ToList();

    [Theory]
    [InlineData(Deflate)]
    [InlineData(DeflateNoContext)]
    public void TheRfcSampleWithBfinalDecodesAndTheNextMessagesToo(string extensions)
    {
        // §7.2.3.4: "Hello" in a final fixed block, then the 0x00 that starts the empty stored block.
        var h = new ServerHarness(extraHeaders: extensions);
        byte[] sample = [0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x00];
        h.Send(Compressed(sample), Compressed(sample), Compressed([0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00]), Compressed(sample));
        Assert.Equal(["Hello", "Hello", "Hello", "Hello"], Texts(h));
        Assert.DoesNotContain(h.Written(), f => f.Opcode == 8);
    }

    [Fact]
    public void TheRfcSampleDecodesWhenItArrivesOneByteAtATime()
    {
        var h = new ServerHarness(extraHeaders: Deflate);
        byte[] sample = [0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x00];
        h.Trickle(WireFrames.Concat(Compressed(sample), Compressed(sample), Compressed(WireFrames.Deflate("again"u8.ToArray()))));
        Assert.Equal(["Hello", "Hello", "again"], Texts(h));
    }

    [Theory]
    [InlineData(Deflate, false)]
    [InlineData(Deflate, true)]
    [InlineData(DeflateNoContext, false)]
    [InlineData(DeflateNoContext, true)]
    public void MessagesEachEndedByAFinishedCompressorDecodeInARow(string extensions, bool appendEmptyBlock)
    {
        // Without the 0x00 the tail is absent; with it the message is exactly what §7.2.1 produces.
        var h = new ServerHarness(extraHeaders: extensions);
        var texts = Enumerable.Range(0, 6).Select(i => string.Concat(Enumerable.Repeat($"message {i} ", 20 + i * 50))).ToList();
        foreach (var t in texts)
        {
            var payload = Finished(t);
            h.Send(Compressed(appendEmptyBlock ? [.. payload, 0x00] : payload));
        }
        Assert.Equal(texts, Texts(h));
    }

    [Fact]
    public void ContextTakeoverWorksAgainAfterAFinishedStream()
    {
        // After a BFINAL message the peer starts a new compressor; its later messages refer back to each other.
        var h = new ServerHarness(extraHeaders: Deflate);
        h.Send(Compressed(Finished("first, with its own finished stream")));
        using var deflater = new Twine.Web.WebSockets.MessageDeflater(CompressionLevel.Optimal, noContextTakeover: false);
        var repeated = string.Concat(Enumerable.Repeat("the same words again and again ", 40));
        var second = deflater.Compress(Encoding.UTF8.GetBytes(repeated), final: true).ToArray();
        var third = deflater.Compress(Encoding.UTF8.GetBytes(repeated), final: true).ToArray();
        Assert.True(third.Length < 20, "the third message should be a back-reference into the second");
        h.Send(Compressed(second), Compressed(third));
        Assert.Equal(["first, with its own finished stream", repeated, repeated], Texts(h));
    }

    [Fact]
    public void EachFragmentMayEndItsOwnStream()
    {
        var h = new ServerHarness(extraHeaders: Deflate);
        h.Send(
            Compressed(Finished("Hello, "), fin: false),
            WireFrames.Build(9, "ping"u8),                             // a control frame between the fragments
            WireFrames.Build(0, Finished("fragmented "), fin: false),
            WireFrames.Build(0, [.. Finished("world"), 0x00]));
        Assert.Equal(["Hello, fragmented world"], Texts(h));
        h.Send(Compressed(WireFrames.Deflate("next"u8.ToArray())));
        Assert.Equal("next", Texts(h)[1]);
    }

    [Fact]
    public void AFinalStoredBlockCompletedByTheTailEndsTheStream()
    {
        // 0x01 is a final stored block's header; the appended 00 00 FF FF makes it an empty block (LEN 0, NLEN FFFF).
        var h = new ServerHarness(extraHeaders: Deflate);
        h.Send(Compressed([0x01]), Compressed([0x01, 0x05, 0x00, 0xfa, 0xff, 0x48, 0x65, 0x6c, 0x6c, 0x6f]), Compressed(Finished("after")));
        Assert.Equal(["", "Hello", "after"], Texts(h));
    }

    [Fact]
    public void AnEmptyCompressedPayloadIsAnEmptyMessage()
    {
        var h = new ServerHarness(extraHeaders: Deflate);
        h.Send(Compressed(WireFrames.Deflate("one"u8.ToArray())), Compressed([]), Compressed(WireFrames.Deflate("two"u8.ToArray())));
        Assert.Equal(["one", "", "two"], Texts(h));
    }

    [Theory]
    [InlineData(new byte[] { 0xff })]                  // a reserved block type
    [InlineData(new byte[] { 0x00, 0x07 })]            // a stored block whose length does not match its complement
    public void GarbageAfterTheFinalBlockFailsWith1007(byte[] trailing)
    {
        var h = new ServerHarness(extraHeaders: Deflate);
        h.Send(Compressed([.. Finished("Hello"), .. trailing]));
        Assert.Equal(1007, h.FailedWith());
        Assert.Empty(h.Protocol.Messages);
    }

    [Fact]
    public void AStreamEndingWhereItsEndCannotBeLocatedFailsWith1007()
    {
        // Two whole streams in one frame: the first ends well before the piece's last two bytes, and DeflateStream
        // cannot tell how much of what follows it swallowed. Failing is the alternative to losing data.
        var h = new ServerHarness(extraHeaders: Deflate);
        h.Send(Compressed([.. Finished("Hello, "), .. Finished("world, and a longer second stream"), 0x00]));
        Assert.Equal(1007, h.FailedWith());
        var close = h.Written().Single(f => f.Opcode == 8);
        Assert.Contains("BFINAL", Encoding.UTF8.GetString(close.Payload.AsSpan(2)), StringComparison.Ordinal);
    }

    [Fact]
    public void TwoStreamsInOneMessageDecodeWhenTheFirstEndsAtAPieceBoundary()
    {
        // The same message as above, arriving so that the first stream ends a read: then it is located exactly.
        var h = new ServerHarness(extraHeaders: Deflate);
        var first = Finished("Hello, ");
        var frame = Compressed([.. first, .. Finished("world"), 0x00]);
        int headerLength = frame.Length - (first.Length + Finished("world").Length + 1);
        h.Send(frame[..(headerLength + first.Length)], frame[(headerLength + first.Length)..]);
        Assert.Equal(["Hello, world"], Texts(h));
    }

    private static (byte[] Traffic, List<string> Texts) MixedTraffic(Random random)
    {
        var texts = new List<string>();
        var frames = new List<byte[]>();
        for (int i = 0; i < 5; i++)
        {
            var text = string.Concat(Enumerable.Repeat($"text {i} é€ ", random.Next(1, 60)));
            texts.Add(text);
            frames.Add(random.Next(3) switch
            {
                0 => Compressed(Finished(text)),
                1 => Compressed([.. Finished(text), 0x00]),
                _ => Compressed(WireFrames.Deflate(Encoding.UTF8.GetBytes(text))),
            });
        }
        return (WireFrames.Concat([.. frames]), texts);
    }

    private static void SendInRandomPieces(ServerHarness h, byte[] bytes, Random random)
    {
        for (int pos = 0; pos < bytes.Length;)
        {
            int n = random.Next(1, Math.Min(64, bytes.Length - pos) + 1);
            h.Send(bytes[pos..(pos + n)]);
            pos += n;
        }
    }

    [Fact]
    public void FinishedAndFlushedMessagesMixedDecodeHoweverTheBytesAreSplit()
    {
        // A stream that ends with its frame ends in the last bytes of the frame's last piece, wherever the split falls.
        var random = new Random(3);
        for (int round = 0; round < 300; round++)
        {
            var h = new ServerHarness(extraHeaders: round % 2 == 0 ? Deflate : DeflateNoContext);
            var (traffic, texts) = MixedTraffic(random);
            SendInRandomPieces(h, traffic, random);
            Assert.Equal(texts, Texts(h));
        }
    }

    [Fact]
    public void MutatedFinishedStreamsGiveMessagesOrOneValidClose()
    {
        var random = new Random(4);
        for (int round = 0; round < 1000; round++)
        {
            var h = new ServerHarness(extraHeaders: Deflate);
            var (traffic, _) = MixedTraffic(random);
            for (int m = random.Next(1, 4); m > 0; m--) traffic[random.Next(traffic.Length)] ^= (byte)(1 << random.Next(8));
            SendInRandomPieces(h, traffic, random);
            var closes = h.Written().Where(f => f.Opcode == 8).ToList();
            Assert.True(closes.Count <= 1, "at most one close frame");
            if (closes.Count == 1)
            {
                int code = closes[0].CloseCode;     // a mutated frame may itself be a close, echoed with its own code
                Assert.True(code == Twine.Web.WebSockets.WebSocketCloseCode.NoStatus || Twine.Web.WebSockets.WebSocketCloseCode.IsValidOnWire(code), $"close code {code}");
            }
            Assert.All(h.Protocol.Messages, x => Assert.True(System.Text.Unicode.Utf8.IsValid(x.Payload)));
        }
    }
}
