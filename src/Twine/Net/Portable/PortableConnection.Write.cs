using System.Net.Sockets;
using Twine.Defer;

namespace Twine.Net.Portable;

// The portable sending half: asynchronous sends over the buffer's chunks. Buffering and flow control are StreamTransport's.
internal abstract partial class PortableConnection
{
    /// <summary>Segments per send; more just take another send.</summary>
    private const int SegmentsPerSend = 64;

    private static readonly Action<PortableConnection> s_sendDone = static c => c.OnSendDone();

    private readonly SocketAsyncEventArgs _sendArgs = new();
    private readonly List<ArraySegment<byte>> _sendList = new(SegmentsPerSend);

    /// <summary>True while a send is in flight (tests).</summary>
    internal bool SendPending => _sendBlocked;

    /// <inheritdoc />
    public sealed override void Flush()
    {
        if (FlushDue()) WriteOut();
    }

    /// <inheritdoc />
    private protected sealed override void SendWithoutAfterSend() => SendBuffered();

    /// <summary>Sends until the buffer is empty or a send is in flight, then applies what follows from that.</summary>
    private void WriteOut()
    {
        // As after a short write on the native layer, a send still in flight counts: a producer may resume at the
        // low-water mark while the rest is on its way, and OnSendDone carries on from there.
        if (SendBuffered()) AfterSend();
    }

    /// <summary>
    /// Sends until the buffer is empty or a send is in flight (it finishes in OnSendDone); false if the connection
    /// closed on the way.
    /// </summary>
    private bool SendBuffered()
    {
        while (_buffer.Count > 0)
        {
            if (!TryStartSend(out bool pending)) return false;
            if (pending) return true;
            if (!SendCompleted()) return false;
        }
        return true;
    }

    /// <summary>Starts one send of the buffer's first chunks; false when the socket was already disposed.</summary>
    private bool TryStartSend(out bool pending)
    {
        _sendList.Clear();
        _buffer.Gather(_sendList, SegmentsPerSend);
        _sendArgs.BufferList = _sendList;
        _sendBlocked = true;
        try
        {
            pending = _socket.SendAsync(_sendArgs);
            return true;
        }
        catch (ObjectDisposedException)
        {
            _sendBlocked = false;
            pending = false;
            return false;
        }
    }

    /// <summary>A send finished (on a later turn when it did not finish at once): account for it and go on.</summary>
    private void OnSendDone()
    {
        if (!SendCompleted()) return;
        WriteOut();
    }

    /// <summary>Consumes what a send moved; false when it failed (the connection is then closed) or the connection closed meanwhile.</summary>
    private bool SendCompleted()
    {
        _sendBlocked = false;
        if (_closed) return false;
        if (_sendArgs.SocketError != SocketError.Success)
        {
            // Reset or broken pipe: what is buffered can never be delivered.
            CloseNow(new Failure(PortableErrors.Lost(_sendArgs.SocketError)), abortive: false);
            return false;
        }
        _buffer.Consume(_sendArgs.BytesTransferred);
        return true;
    }
}
