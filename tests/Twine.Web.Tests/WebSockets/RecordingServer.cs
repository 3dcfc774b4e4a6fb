using System.Text;
using Twine.Defer;
using Twine.Web.WebSockets;

namespace Twine.Web.Tests.WebSockets;

/// <summary>A server protocol that records its callbacks and, when <see cref="Echo"/> is set, echoes messages.</summary>
internal sealed class RecordingServer : WebSocketServerProtocol
{
    public bool Echo { get; set; } = true;
    public Func<ConnectionRequest, ConnectDecision>? Decide { get; set; }
    public List<(byte[] Payload, bool IsBinary)> Messages { get; } = [];
    public List<string> Events { get; } = [];
    public (bool WasClean, int Code, string? Reason)? Closed { get; private set; }
    public int Opens { get; private set; }

    public override ConnectDecision OnConnect(ConnectionRequest request) => Decide?.Invoke(request) ?? base.OnConnect(request);

    public override Deferred? OnOpen()
    {
        Opens++;
        Events.Add("open");
        return null;
    }

    public override Deferred? OnMessage(byte[] payload, bool isBinary)
    {
        Messages.Add((payload, isBinary));
        Events.Add(isBinary ? $"binary:{payload.Length}" : $"text:{Encoding.UTF8.GetString(payload)}");
        if (Echo) SendMessage(payload, isBinary);
        return null;
    }

    public override void OnPing(ReadOnlySpan<byte> payload) => Events.Add("ping:" + Encoding.UTF8.GetString(payload));

    public override void OnPong(ReadOnlySpan<byte> payload) => Events.Add("pong:" + Encoding.UTF8.GetString(payload));

    public override void OnClose(bool wasClean, int code, string? reason)
    {
        Events.Add($"close:{wasClean}:{code}");
        Closed = (wasClean, code, reason);
    }
}

/// <summary>A client protocol that records its callbacks.</summary>
internal sealed class RecordingClient : WebSocketClientProtocol
{
    public List<(byte[] Payload, bool IsBinary)> Messages { get; } = [];
    public (bool WasClean, int Code, string? Reason)? Closed { get; private set; }
    public bool IsOpened { get; private set; }
    public ConnectionResponse? Response { get; private set; }

    public override void OnConnect(ConnectionResponse response) => Response = response;

    public override Deferred? OnOpen()
    {
        IsOpened = true;
        return null;
    }

    public override Deferred? OnMessage(byte[] payload, bool isBinary)
    {
        Messages.Add((payload, isBinary));
        return null;
    }

    public override void OnClose(bool wasClean, int code, string? reason) => Closed = (wasClean, code, reason);
}
