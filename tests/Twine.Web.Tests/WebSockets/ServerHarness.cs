using System.Text;
using Twine.Testing;
using Twine.Time;
using Twine.Web.WebSockets;

namespace Twine.Web.Tests.WebSockets;

/// <summary>A standalone server protocol on a memory transport, past its handshake, with a manual clock.</summary>
internal sealed class ServerHarness
{
    public const string SampleKey = "dGhlIHNhbXBsZSBub25jZQ==";

    public ServerHarness(WebSocketOptions? options = null, bool handshake = true, string extraHeaders = "", Action<RecordingServer>? setup = null)
    {
        var protocol = new RecordingServer();
        setup?.Invoke(protocol);
        Factory = new WebSocketServerFactory(Clock, () => protocol, options) { Subprotocols = Subprotocols };
        Protocol = (RecordingServer)Factory.BuildProtocol(Transport.Peer)!;
        Protocol.MakeConnection(Transport);
        if (handshake)
        {
            Protocol.DataReceived(Request(extraHeaders));
            HandshakeResponse = Transport.ValueAsString();
            Transport.Clear();
        }
    }

    public static IReadOnlyList<string> Subprotocols { get; } = ["chat", "superchat"];

    public Clock Clock { get; } = new();
    public MemoryTransport Transport { get; } = new();
    public WebSocketServerFactory Factory { get; }
    public RecordingServer Protocol { get; }
    public string HandshakeResponse { get; } = "";

    public static byte[] Request(string extraHeaders = "", string path = "/chat") => Encoding.ASCII.GetBytes(
        $"GET {path} HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        $"Sec-WebSocket-Key: {SampleKey}\r\nSec-WebSocket-Version: 13\r\n{extraHeaders}\r\n");

    public void Send(params byte[][] frames)
    {
        foreach (var f in frames) Protocol.DataReceived(f);
    }

    /// <summary>Sends the bytes one at a time: every split point is exercised.</summary>
    public void Trickle(byte[] bytes)
    {
        for (int i = 0; i < bytes.Length; i++) Protocol.DataReceived(bytes.AsSpan(i, 1));
    }

    public List<WireFrame> Written() => WireFrames.Parse(Transport.Value());

    /// <summary>The code of the close frame the server wrote, asserting that it wrote exactly one and is closing.</summary>
    public int FailedWith()
    {
        var closes = Written().Where(f => f.Opcode == 8).ToList();
        Assert.Single(closes);
        Assert.True(Transport.Disconnecting, "the server should be closing the connection");
        return closes[0].CloseCode;
    }
}
