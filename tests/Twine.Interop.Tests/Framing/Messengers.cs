using Twine.Defer;
using Twine.Net;
using Twine.Protocols;

namespace Twine.Interop.Tests.Framing;

/// <summary>One framed connection, whatever the framing: the Twine side of every interop conversation.</summary>
internal interface IMessenger
{
    FramingKind Kind { get; }

    ITransport Transport { get; }

    /// <summary>How many times the transport delivered bytes (DataReceived calls).</summary>
    int Reads { get; }

    /// <summary>Sends one message with Twine's framing (SendLine / SendString).</summary>
    void Send(ReadOnlySpan<byte> payload);
}

/// <summary>
/// Records what happens on one framed connection and lets a test react. Violations use the peer scripts' names
/// (LINE-TOO-LONG, BROKEN-PEER, LENGTH-LIMIT n) so both sides of a test read alike.
/// </summary>
internal class MessageRecorder
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

internal static class Messengers
{
    /// <summary>A Twine receiver of <paramref name="kind"/> with default limits, reporting to <paramref name="recorder"/>.</summary>
    public static IProtocol Create(FramingKind kind, MessageRecorder recorder) => kind switch
    {
        FramingKind.Lines => new LineMessenger(recorder),
        FramingKind.Netstrings => new NetstringMessenger(recorder),
        FramingKind.Int32 => new Int32Messenger(recorder),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private sealed class LineMessenger(MessageRecorder recorder) : LineReceiver, IMessenger
    {
        public FramingKind Kind => FramingKind.Lines;

        public int Reads { get; private set; }

        public void Send(ReadOnlySpan<byte> payload) => SendLine(payload);

        protected override void ConnectionMade() => recorder.Connected(this);

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            if (!data.IsEmpty) Reads++;
            base.DataReceived(data);
        }

        protected override void LineReceived(ReadOnlySpan<byte> line) => recorder.MessageReceived(this, line);

        protected override void LineLengthExceeded(ReadOnlySpan<byte> line)
        {
            recorder.Violated("LINE-TOO-LONG");
            base.LineLengthExceeded(line);
        }

        public override void ConnectionLost(Failure reason) => recorder.ConnectionLost(this, reason);
    }

    private sealed class NetstringMessenger(MessageRecorder recorder) : NetstringReceiver, IMessenger
    {
        public FramingKind Kind => FramingKind.Netstrings;

        public int Reads { get; private set; }

        public void Send(ReadOnlySpan<byte> payload) => SendString(payload);

        protected override void ConnectionMade() => recorder.Connected(this);

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            if (!data.IsEmpty) Reads++;
            base.DataReceived(data);
        }

        protected override void StringReceived(ReadOnlySpan<byte> payload) => recorder.MessageReceived(this, payload);

        public override void ConnectionLost(Failure reason)
        {
            // As in the Twisted peer: a broken peer is reported when its connection ends.
            if (BrokenPeer) recorder.Violated("BROKEN-PEER");
            recorder.ConnectionLost(this, reason);
        }
    }

    private sealed class Int32Messenger(MessageRecorder recorder) : Int32StringReceiver, IMessenger
    {
        public FramingKind Kind => FramingKind.Int32;

        public int Reads { get; private set; }

        public void Send(ReadOnlySpan<byte> payload) => SendString(payload);

        protected override void ConnectionMade() => recorder.Connected(this);

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            if (!data.IsEmpty) Reads++;
            base.DataReceived(data);
        }

        protected override void StringReceived(ReadOnlySpan<byte> payload) => recorder.MessageReceived(this, payload);

        protected override void LengthLimitExceeded(long length)
        {
            recorder.Violated($"LENGTH-LIMIT {length}");
            base.LengthLimitExceeded(length);
        }

        public override void ConnectionLost(Failure reason) => recorder.ConnectionLost(this, reason);
    }
}
