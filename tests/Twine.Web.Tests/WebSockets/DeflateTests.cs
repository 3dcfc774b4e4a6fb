using Twine.Web.WebSockets;

namespace Twine.Web.Tests.WebSockets;

/// <summary>WS13, WS14: permessage-deflate negotiation (RFC 7692 §7.1) and the decompression limit.</summary>
public class DeflateTests
{
    private static DeflateParameters? Accept(string header, WebSocketOptions? options = null) =>
        DeflateParameters.Accept(ExtensionOffer.ParseAll([header])!, options ?? new WebSocketOptions());

    [Theory]
    [InlineData("permessage-deflate", "permessage-deflate")]
    [InlineData("permessage-deflate; client_max_window_bits", "permessage-deflate")]
    [InlineData("permessage-deflate; client_max_window_bits=10", "permessage-deflate")]
    [InlineData("permessage-deflate; server_no_context_takeover", "permessage-deflate; server_no_context_takeover")]
    [InlineData("permessage-deflate; client_no_context_takeover", "permessage-deflate; client_no_context_takeover")]
    [InlineData("permessage-deflate; server_max_window_bits=15", "permessage-deflate; server_max_window_bits=15")]
    [InlineData("permessage-deflate; server_max_window_bits=\"15\"", "permessage-deflate; server_max_window_bits=15")]
    [InlineData("permessage-deflate; server_max_window_bits=9, permessage-deflate; server_max_window_bits=15; client_no_context_takeover", "permessage-deflate; client_no_context_takeover; server_max_window_bits=15")]
    [InlineData("x-webkit-deflate-frame, permessage-deflate", "permessage-deflate")]
    [InlineData("permessage-deflate; server_max_window_bits=10, permessage-deflate", "permessage-deflate")]
    public void AcceptableOffersAreAnswered(string offer, string response) => Assert.Equal(response, Accept(offer)?.ResponseHeader);

    [Theory]
    [InlineData("permessage-deflate; server_max_window_bits=10")]   // this side cannot compress with a smaller window
    [InlineData("permessage-deflate; server_max_window_bits")]      // the value is required
    [InlineData("permessage-deflate; server_max_window_bits=16")]
    [InlineData("permessage-deflate; server_max_window_bits=08")]
    [InlineData("permessage-deflate; client_max_window_bits=7")]
    [InlineData("permessage-deflate; server_no_context_takeover=1")]
    [InlineData("permessage-deflate; server_no_context_takeover; server_no_context_takeover")]
    [InlineData("permessage-deflate; unknown_parameter")]
    [InlineData("x-webkit-deflate-frame")]
    public void OffersThisSideCannotHonourAreDeclined(string offer) => Assert.Null(Accept(offer));

    [Fact]
    public void ConfiguredNoContextTakeoverIsAnnounced() =>
        Assert.Equal("permessage-deflate; server_no_context_takeover", Accept("permessage-deflate", new WebSocketOptions { NoContextTakeover = true })?.ResponseHeader);

    [Theory]
    [InlineData("permessage-deflate; client_max_window_bits=10")]
    [InlineData("permessage-deflate; foo")]
    [InlineData("permessage-deflate; server_no_context_takeover; server_no_context_takeover")]
    public void AClientRefusesAResponseItCannotHonour(string response) =>
        Assert.Throws<WebSocketHandshakeException>(() => DeflateParameters.FromResponse(ExtensionOffer.ParseAll([response])![0], new WebSocketOptions()));

    [Fact]
    public void TheServerAnswersTheOfferInItsHandshake()
    {
        var h = new ServerHarness(extraHeaders: "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n");
        Assert.Contains("Sec-WebSocket-Extensions: permessage-deflate\r\n", h.HandshakeResponse);
        Assert.True(h.Protocol.IsCompressed);
    }

    [Fact]
    public void ACompressedMessageIsInflatedAndTheAnswerIsCompressedWithRsv1()
    {
        var h = new ServerHarness(extraHeaders: "Sec-WebSocket-Extensions: permessage-deflate\r\n");
        var text = string.Concat(Enumerable.Repeat("Hello, compressed world! ", 10));
        h.Send(WireFrames.Build(1, WireFrames.Deflate(System.Text.Encoding.UTF8.GetBytes(text)), rsv: 4));
        Assert.Equal(text, System.Text.Encoding.UTF8.GetString(h.Protocol.Messages[0].Payload));
        var answer = Assert.Single(h.Written());
        Assert.Equal(4, answer.Rsv);
        Assert.True(answer.Payload.Length < text.Length);
    }

    [Fact]
    public void RFC7692SampleHelloDecodes()
    {
        // RFC 7692 §7.2.3.1: "Hello" compressed, as a single frame.
        var h = new ServerHarness(extraHeaders: "Sec-WebSocket-Extensions: permessage-deflate\r\n");
        h.Send(WireFrames.Build(1, [0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00], rsv: 4));
        Assert.Equal("Hello", System.Text.Encoding.UTF8.GetString(h.Protocol.Messages[0].Payload));
        // §7.2.3.2: the same message, compressed, fragmented over two frames.
        h.Send(WireFrames.Build(1, [0xf2, 0x48, 0xcd], fin: false, rsv: 4), WireFrames.Build(0, [0xc9, 0xc9, 0x07, 0x00]));
        Assert.Equal("Hello", System.Text.Encoding.UTF8.GetString(h.Protocol.Messages[1].Payload));
    }

    [Fact]
    public void ASmallFrameThatInflatesPastTheMessageLimitFailsWith1009()
    {
        var h = new ServerHarness(new WebSocketOptions { MaxMessageSize = 1 << 20 }, extraHeaders: "Sec-WebSocket-Extensions: permessage-deflate\r\n");
        var bomb = WireFrames.Deflate(new byte[64 << 20]);      // 64 MiB of zeros: about 64 KiB compressed
        Assert.True(bomb.Length < 100_000);
        h.Send(WireFrames.Build(2, bomb, rsv: 4));
        Assert.Equal(1009, h.FailedWith());
        Assert.Empty(h.Protocol.Messages);
    }

    [Fact]
    public void CompressedGarbageFailsWith1007()
    {
        var h = new ServerHarness(extraHeaders: "Sec-WebSocket-Extensions: permessage-deflate\r\n");
        h.Send(WireFrames.Build(2, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF], rsv: 4));
        Assert.Equal(1007, h.FailedWith());
    }

    [Fact]
    public void Rsv1OnAControlFrameFailsEvenWithDeflate()
    {
        var h = new ServerHarness(extraHeaders: "Sec-WebSocket-Extensions: permessage-deflate\r\n");
        h.Send(WireFrames.Build(9, [], rsv: 4));
        Assert.Equal(1002, h.FailedWith());
    }

    [Fact]
    public void CompressedInvalidUtf8FailsWith1007()
    {
        var h = new ServerHarness(extraHeaders: "Sec-WebSocket-Extensions: permessage-deflate\r\n");
        h.Send(WireFrames.Build(1, WireFrames.Deflate([0x61, 0xED, 0xA0, 0x80]), rsv: 4));
        Assert.Equal(1007, h.FailedWith());
    }
}
