using Twine.Defer;

namespace Twine.Interop.Tests.Framing;

/// <summary>
/// Records what happens on one framed connection and lets a test react. Violations use the peer scripts' names
/// (LINE-TOO-LONG, BROKEN-PEER, LENGTH-LIMIT n) so both sides of a test read alike.
/// </summary>
internal sealed class MessageRecorder
{
    public List<byte[]> Received { get; } = [];

    public List<string> Violations { get; } = [];

    public Failure? LostReason { get; private set; }

    public bool Made { get; private set; }

    public Action<IMessenger>? OnMade { get; set; }

    public Action<IMessenger, byte[]>? OnReceived { get; set; }

    public Action<IMessenger, Failure>? OnLost { get; set; }

    public void Connected(IMessenger messenger)
    {
        Made = true;
        OnMade?.Invoke(messenger);
    }

    public void MessageReceived(IMessenger messenger, ReadOnlySpan<byte> payload)
    {
        var copy = payload.ToArray();
        Received.Add(copy);
        OnReceived?.Invoke(messenger, copy);
    }

    public void Violated(string what) => Violations.Add(what);

    public void ConnectionLost(IMessenger messenger, Failure reason)
    {
        LostReason = reason;
        OnLost?.Invoke(messenger, reason);
    }
}
