using System.Text;
using Twine.Web.WebSockets;

namespace Twine.Web.Tests.WebSockets;

/// <summary>
/// WS3–WS5: every protocol violation fails the connection with the right close code, sent in a close frame before
/// the server closes, and nothing after the violation is processed. Cases follow the Autobahn testsuite's sections.
/// </summary>
public class StrictnessTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void ReservedBitsWithoutAnExtensionFailWith1002(int rsv)
    {
        var h = new ServerHarness(new WebSocketOptions { PerMessageDeflate = false });
        h.Send(WireFrames.Build(1, "Hello"u8, rsv: rsv));
        Assert.Equal(1002, h.FailedWith());
        Assert.Empty(h.Protocol.Messages);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(0xB)]
    [InlineData(0xC)]
    [InlineData(0xD)]
    [InlineData(0xE)]
    [InlineData(0xF)]
    public void ReservedOpcodesFailWith1002(int opcode)
    {
        var h = new ServerHarness();
        h.Send(WireFrames.Build(opcode, "x"u8), WireFrames.Text("after"));
        Assert.Equal(1002, h.FailedWith());
        Assert.Empty(h.Protocol.Messages);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(10)]
    public void AFragmentedControlFrameFailsWith1002(int opcode)
    {
        var h = new ServerHarness();
        h.Send(WireFrames.Build(opcode, "x"u8, fin: false));
        Assert.Equal(1002, h.FailedWith());
    }

    [Theory]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(8)]
    public void AControlFrameOver125BytesFailsWith1002(int opcode)
    {
        var h = new ServerHarness();
        h.Send(WireFrames.Build(opcode, new byte[126]));
        Assert.Equal(1002, h.FailedWith());
    }

    [Fact]
    public void AControlFrameOf125BytesIsFine()
    {
        var h = new ServerHarness();
        var payload = Enumerable.Repeat((byte)'p', 125).ToArray();
        h.Send(WireFrames.Build(9, payload));
        var pong = Assert.Single(h.Written());
        Assert.Equal(10, pong.Opcode);
        Assert.Equal(payload, pong.Payload);
    }

    [Fact]
    public void AContinuationWithNothingToContinueFailsWith1002()
    {
        var h = new ServerHarness();
        h.Send(WireFrames.Continuation("orphan"u8));
        Assert.Equal(1002, h.FailedWith());
    }

    [Fact]
    public void ANewMessageInsideAFragmentedOneFailsWith1002()
    {
        var h = new ServerHarness();
        h.Send(WireFrames.Text("frag", fin: false), WireFrames.Text("new"));
        Assert.Equal(1002, h.FailedWith());
        Assert.Empty(h.Protocol.Messages);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(999)]
    [InlineData(1004)]
    [InlineData(1005)]
    [InlineData(1006)]
    [InlineData(1015)]
    [InlineData(1016)]
    [InlineData(1100)]
    [InlineData(2000)]
    [InlineData(2999)]
    [InlineData(5000)]
    [InlineData(65535)]
    public void AnInvalidCloseCodeFailsWith1002(int code)
    {
        var h = new ServerHarness();
        h.Send(WireFrames.Close(code));
        Assert.Equal(1002, h.FailedWith());
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(1002)]
    [InlineData(1003)]
    [InlineData(1007)]
    [InlineData(1011)]
    [InlineData(1014)]
    [InlineData(3000)]
    [InlineData(4999)]
    public void AValidCloseCodeIsEchoed(int code)
    {
        var h = new ServerHarness();
        h.Send(WireFrames.Close(code, "bye"));
        var close = Assert.Single(h.Written());
        Assert.Equal(8, close.Opcode);
        Assert.Equal(code, close.CloseCode);
    }

    [Fact]
    public void AOneByteClosePayloadFailsWith1002()
    {
        var h = new ServerHarness();
        h.Send(WireFrames.Build(8, [0x03]));
        Assert.Equal(1002, h.FailedWith());
    }

    [Fact]
    public void ACloseReasonThatIsNotUtf8FailsWith1007()
    {
        var h = new ServerHarness();
        h.Send(WireFrames.Build(8, [0x03, 0xE8, 0xCE, 0xBA, 0xED, 0xA0, 0x80]));
        Assert.Equal(1007, h.FailedWith());
    }

    [Fact]
    public void InvalidUtf8InATextMessageFailsWith1007()
    {
        var h = new ServerHarness();
        h.Send(WireFrames.Build(1, Convert.FromHexString("CEBAE1BDB9CF83CEBCCEB5EDA080656469746564")));
        Assert.Equal(1007, h.FailedWith());
        Assert.Empty(h.Protocol.Messages);
    }

    [Fact]
    public void InvalidUtf8FailsMidFrameBeforeTheRestOfTheFrameArrives()
    {
        var h = new ServerHarness();
        // A 100-byte text frame whose third byte already makes valid UTF-8 impossible: only 8 bytes of it are sent.
        var payload = new byte[100];
        Array.Fill(payload, (byte)'a');
        payload[2] = 0xF8;
        var frame = WireFrames.Build(1, payload);
        h.Send(frame[..(2 + 4 + 8)]);
        Assert.Equal(1007, h.FailedWith());
    }

    [Fact]
    public void InvalidUtf8SplitAcrossFragmentsFailsOnTheFragmentThatBreaksIt()
    {
        var h = new ServerHarness();
        h.Send(WireFrames.Build(1, [0x61, 0xF4], fin: false));
        Assert.Empty(h.Written());           // F4 may still become valid
        h.Send(WireFrames.Build(0, [0x90], fin: false));  // F4 90 is past U+10FFFF
        Assert.Equal(1007, h.FailedWith());
    }

    [Fact]
    public void ATextMessageEndingInsideASequenceFailsWith1007()
    {
        var h = new ServerHarness();
        h.Send(WireFrames.Build(1, [0x61, 0xE2, 0x82]));
        Assert.Equal(1007, h.FailedWith());
    }

    [Fact]
    public void ValidUtf8SplitInsideACharacterAcrossFragmentsIsAccepted()
    {
        var h = new ServerHarness();
        var euro = Encoding.UTF8.GetBytes("€uro");
        h.Send(WireFrames.Build(1, euro[..1], fin: false), WireFrames.Build(0, euro[1..2], fin: false), WireFrames.Build(0, euro[2..]));
        Assert.Equal("€uro", Encoding.UTF8.GetString(Assert.Single(h.Protocol.Messages).Payload));
    }

    [Fact]
    public void AnUnmaskedFrameFromAClientFailsWith1002()
    {
        var h = new ServerHarness();
        h.Send(WireFrames.Text("hello", mask: false));
        Assert.Equal(1002, h.FailedWith());
    }

    [Fact]
    public void AFrameOverTheSizeLimitFailsWith1009FromItsHeaderAlone()
    {
        var h = new ServerHarness(new WebSocketOptions { MaxFrameSize = 1000 });
        var frame = WireFrames.Build(2, new byte[1001]);
        h.Send(frame[..8]);
        Assert.Equal(1009, h.FailedWith());
    }

    [Fact]
    public void AMessageOverTheSizeLimitFailsWith1009()
    {
        var h = new ServerHarness(new WebSocketOptions { MaxMessageSize = 1000 });
        h.Send(WireFrames.Build(2, new byte[600], fin: false), WireFrames.Build(0, new byte[600]));
        Assert.Equal(1009, h.FailedWith());
        Assert.Empty(h.Protocol.Messages);
    }

    [Fact]
    public void A64BitLengthWithTheTopBitSetFailsWith1002()
    {
        var h = new ServerHarness();
        h.Send([0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4]);
        Assert.Equal(1002, h.FailedWith());
    }

    [Fact]
    public void NothingAfterAViolationIsProcessed()
    {
        var h = new ServerHarness();
        h.Send(WireFrames.Concat(WireFrames.Text("before"), WireFrames.Build(5, []), WireFrames.Text("after")));
        Assert.Equal("before", Encoding.UTF8.GetString(Assert.Single(h.Protocol.Messages).Payload));
        Assert.Equal(1002, h.FailedWith());
    }

    [Fact]
    public void AFailedConnectionReportsTheCodeItFailedWith()
    {
        var h = new ServerHarness();
        h.Send(WireFrames.Build(2, "x"u8, rsv: 2));
        h.Protocol.ConnectionLost(new Twine.Failure(new Twine.Net.ConnectionDoneException()));
        Assert.Equal((false, 1002), (h.Protocol.Closed!.Value.WasClean, h.Protocol.Closed.Value.Code));
    }
}
