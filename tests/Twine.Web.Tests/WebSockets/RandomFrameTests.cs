using Twine.Web.WebSockets;

namespace Twine.Web.Tests.WebSockets;

/// <summary>WS15: random and mutated input never crashes or hangs the server; every outcome is messages or a close with a valid code.</summary>
public class RandomFrameTests
{
    private static void CheckOutcome(ServerHarness h)
    {
        var closes = h.Written().Where(f => f.Opcode == 8).ToList();
        Assert.True(closes.Count <= 1, "at most one close frame");
        if (closes.Count == 1)
        {
            int code = closes[0].CloseCode;
            Assert.True(code == WebSocketCloseCode.NoStatus || WebSocketCloseCode.IsValidOnWire(code), $"close code {code}");
        }
    }

    [Fact]
    public void RandomBytesAfterTheHandshake()
    {
        var random = new Random(1);
        for (int round = 0; round < 2000; round++)
        {
            var h = new ServerHarness(new WebSocketOptions { MaxFrameSize = 1 << 16, MaxMessageSize = 1 << 16 },
                extraHeaders: round % 2 == 0 ? "Sec-WebSocket-Extensions: permessage-deflate\r\n" : "");
            var bytes = new byte[random.Next(1, 300)];
            random.NextBytes(bytes);
            int pos = 0;
            while (pos < bytes.Length)
            {
                int n = random.Next(1, bytes.Length - pos + 1);
                h.Send(bytes[pos..(pos + n)]);
                pos += n;
            }
            CheckOutcome(h);
        }
    }

    [Fact]
    public void MutatedValidTraffic()
    {
        var random = new Random(2);
        var valid = WireFrames.Concat(
            WireFrames.Text("Hello", fin: false), WireFrames.Build(9, "ping"u8), WireFrames.Continuation(" world"),
            WireFrames.Binary(new byte[300]), WireFrames.Build(1, WireFrames.Deflate("squeezed text squeezed text"u8.ToArray()), rsv: 4),
            WireFrames.Close(1000, "bye"));
        for (int round = 0; round < 3000; round++)
        {
            var h = new ServerHarness(extraHeaders: "Sec-WebSocket-Extensions: permessage-deflate\r\n");
            var bytes = (byte[])valid.Clone();
            for (int m = random.Next(1, 4); m > 0; m--)
            {
                int at = random.Next(bytes.Length);
                switch (random.Next(3))
                {
                    case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                    case 1: bytes[at] = (byte)random.Next(256); break;
                    default: bytes = bytes[..at]; break;          // truncation
                }
                if (bytes.Length == 0) break;
            }
            h.Send(bytes);
            CheckOutcome(h);
            Assert.All(h.Protocol.Messages.Where(x => !x.IsBinary), x => Assert.True(System.Text.Unicode.Utf8.IsValid(x.Payload)));
        }
    }
}
