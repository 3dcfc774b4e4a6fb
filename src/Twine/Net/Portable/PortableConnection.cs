using System.Net;
using System.Net.Sockets;
using Twine.Defer;
using Twine.Net.Sockets;
using Twine.Reactors.Io;

namespace Twine.Net.Portable;

/// <summary>
/// One connected stream socket (TCP or Unix) on <see cref="System.Net.Sockets.Socket"/>, for operating systems where
/// Twine has no native transports (and on Linux when asked for). The rules protocols see (buffering, flush phase,
/// flow control, half-close, close order) are <see cref="StreamTransport"/>'s, the same object the native layer uses;
/// only how bytes move differs. Loop thread only, apart from the two completion callbacks.
/// </summary>
/// <remarks>
/// <para>Reading waits with a zero-byte receive: it completes (on a runtime thread) when data, end of stream or an
/// error is there, without holding a buffer, and the completion is posted to the loop. There the data is read with one
/// non-blocking receive into the reactor's shared buffer, exactly as on readiness, and the wait is re-armed while
/// reading is wanted. Pausing simply does not re-arm.</para>
/// <para>Writing: the flush phase (or <see cref="IImmediateSend.SendNow"/>, for a TLS handshake flight) starts one
/// asynchronous send of everything buffered (as array segments over the same pinned chunks); while it is in flight
/// further writes only append, and its completion, posted to the loop, sends the rest or finishes a pending close.</para>
/// </remarks>
internal abstract partial class PortableConnection : StreamTransport
{
    private static readonly Action<PortableConnection> s_receiveReady = static c => c.OnReceiveReady();

    private readonly Socket _socket;
    private readonly SocketAsyncEventArgs _receiveArgs = new();
    private IDisposable? _tracking;
    private bool _receivePending;

    protected PortableConnection(IIoLoop loop, Socket socket, EndPoint host, EndPoint peer) : base(loop, host, peer)
    {
        _socket = socket;
        // Synchronous calls (the read on completion, the send attempt) must never block the loop.
        _socket.Blocking = false;
        _receiveArgs.SetBuffer(Array.Empty<byte>(), 0, 0);
        _receiveArgs.Completed += (_, _) => _loop.Post(s_receiveReady, this);
        _sendArgs.Completed += (_, _) => _loop.Post(s_sendDone, this);
    }

    /// <summary>The socket (for the TCP options).</summary>
    protected Socket Socket => _socket;

    private protected override void Attach() => _tracking = _loop.Track(this);

    /// <inheritdoc />
    public sealed override void OnIoReady(IoEvents events)
    {
        // Completions arrive through Post, never as readiness.
    }

    /// <summary>Reading may be wanted again: starts a zero-byte receive unless one is in flight.</summary>
    private protected override void ReadingChanged() => ArmReceive();

    /// <summary>Starts a zero-byte receive, unless one is in flight or reading is not wanted.</summary>
    private void ArmReceive()
    {
        if (_receivePending || !ReadingWanted) return;
        _receivePending = true;
        bool pending;
        try
        {
            pending = _socket.ReceiveAsync(_receiveArgs);
        }
        catch (ObjectDisposedException)
        {
            _receivePending = false;
            return;
        }
        // Completed at once: still handled on a later turn, so one busy connection cannot keep the loop to itself.
        if (!pending) _loop.Post(s_receiveReady, this);
    }

    /// <summary>The zero-byte receive completed: read once, as the native layer does on readiness, and wait again.</summary>
    private void OnReceiveReady()
    {
        _receivePending = false;
        if (_closed)
        {
            // The orderly close was waiting for this receive to end (see ReleaseSocket); disposing twice is harmless.
            _socket.Dispose();
            return;
        }
        if (_receiveArgs.SocketError != SocketError.Success)
        {
            CloseNow(new Failure(PortableErrors.Lost(_receiveArgs.SocketError)), abortive: false);
            return;
        }
        if (!ReadingWanted) return;   // paused meanwhile: ResumeProducing re-arms
        var buffer = _loop.ReadBuffer;
        int n = _socket.Receive(buffer, 0, buffer.Length, SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock)
        {
            ArmReceive();
            return;
        }
        if (error != SocketError.Success)
        {
            CloseNow(new Failure(PortableErrors.Lost(error)), abortive: false);
            return;
        }
        if (n == 0)
        {
            ReadEndOfStream();
            return;
        }
        if (Deliver(new ReadOnlySpan<byte>(buffer, 0, n))) ArmReceive();
    }

    private protected override void ReleaseSocket(bool abortive)
    {
        _tracking?.Dispose();
        _tracking = null;
        try
        {
            // Linger on with a zero timeout: close sends a reset instead of an orderly end.
            if (abortive) _socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
            // Already reset by the peer: the close below is abortive enough.
        }
        if (!abortive && _receivePending)
        {
            // .NET closes a socket with an operation in flight abortively (a reset, which would discard the bytes still
            // in the kernel's send queue). Shutting both directions ends the zero-byte receive at once; the socket is
            // disposed when that completion arrives, with nothing in flight, so the peer sees the data and an orderly end.
            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // Already reset by the peer: nothing left to deliver.
            }
        }
        else
        {
            _socket.Dispose();
        }
        // A send still in flight may read its chunks a moment longer: they must not go back to the pool.
        if (_sendBlocked) _buffer.Abandon();
        else _buffer.Clear();
    }

    private protected override void ShutdownSocketWrite()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The peer already reset the connection; reading will report that.
        }
    }

    /// <summary>The connection, for log messages.</summary>
    public override string ToString() => $"<{GetType().Name} {Host} -> {Peer}>";
}
