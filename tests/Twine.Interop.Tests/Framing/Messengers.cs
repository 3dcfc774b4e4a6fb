using Twine.Defer;
using Twine.Net;
using Twine.Protocols;

namespace Twine.Interop.Tests.Framing;

/// <summary>The three Twine receivers under test, each reporting to a <see cref="MessageRecorder"/>.</summary>
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

        public override void ConnectionMade() => recorder.Connected(this);

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

        public override void ConnectionMade() => recorder.Connected(this);

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

        public override void ConnectionMade() => recorder.Connected(this);

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
