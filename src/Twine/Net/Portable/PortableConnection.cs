using System.Net;
using System.Net.Sockets;
using Twine.Defer;
using Twine.Logging;
using Twine.Net.Sockets;
using Twine.Reactors.Io;
using Twine.Threading;

namespace Twine.Net.Portable;

/// <summary>
/// One connected stream socket (TCP or Unix) on <see cref="System.Net.Sockets.Socket"/>, for operating systems where
/// Twine has no native transports (and on Linux when asked for). Protocols see exactly what the native
/// <see cref="StreamConnection"/> gives them: the same buffering, flush phase, flow control, half-close and close
/// rules; only how bytes move differs. Loop thread only, apart from the two completion callbacks.
/// </summary>
/// <remarks>
/// <para>Reading waits with a zero-byte receive: it completes (on a runtime thread) when data, end of stream or an
/// error is there, without holding a buffer, and the completion is posted to the loop. There the data is read with one
/// non-blocking receive into the reactor's shared buffer, exactly as on readiness, and the wait is re-armed while
/// reading is wanted. Pausing simply does not re-arm.</para>
/// <para>Writing: the flush phase starts one asynchronous send of everything buffered (as array segments over the
/// same pinned chunks); while it is in flight further writes only append, and its completion, posted to the loop,
/// sends the rest or finishes a pending close.</para>
/// </remarks>
internal abstract partial class PortableConnection : ISocketTransport, ISwitchableTransport, IIoHandler, IFlushable
{
    private static readonly Action<PortableConnection> s_receiveReady = static c => c.OnReceiveReady();

    private readonly IIoLoop _loop;
    private readonly ReactorThread _thread;
    private readonly ConnectionLossSignal _lossSignal = new();
    private readonly Socket _socket;
    private readonly WriteBuffer _buffer;
    private readonly SocketAsyncEventArgs _receiveArgs = new();
    private IDisposable? _tracking;
    private IProtocol _protocol = NullProtocol.Instance;

    private bool _started;
    private bool _closed;
    private bool _disconnecting;
    private bool _aborting;
    private bool _writeShutdownRequested;
    private bool _writeShutDown;
    private bool _readClosed;
    private bool _readingPaused;
    private bool _readingPausedByBuffer;
    private bool _receivePending;
    private Exception? _abortReason;

    private int _highWaterMark = 64 * 1024;
    private int _lowWaterMark = 16 * 1024;
    private long _writeBufferLimit = long.MaxValue;

    protected PortableConnection(IIoLoop loop, Socket socket, EndPoint host, EndPoint peer)
    {
        _loop = loop;
        _thread = loop.Thread;
        _socket = socket;
        // Synchronous calls (the read on completion, the send attempt) must never block the loop.
        _socket.Blocking = false;
        _buffer = new WriteBuffer(loop.Local<WriteSegmentPool>());
        _receiveArgs.SetBuffer(Array.Empty<byte>(), 0, 0);
        _receiveArgs.Completed += (_, _) => _loop.Post(s_receiveReady, this);
        _sendArgs.Completed += (_, _) => _loop.Post(s_sendDone, this);
        Host = host;
        Peer = peer;
    }

    /// <summary>The socket (for the TCP options).</summary>
    protected Socket Socket => _socket;

    /// <summary>True once the socket is closed and the protocol told.</summary>
    internal bool Closed => _closed;

    /// <summary>The protocol this transport drives (a placeholder until <see cref="Start"/>).</summary>
    internal IProtocol Protocol => _protocol;

    /// <inheritdoc />
    IProtocol ISwitchableTransport.Protocol => _protocol;

    /// <inheritdoc />
    void ISwitchableTransport.SwitchProtocol(IProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        _protocol = protocol;
    }

    /// <summary>Called after the protocol's <c>ConnectionLost</c>: a client connection reports to its connector here.</summary>
    internal Action<Failure>? AfterConnectionLost { get; set; }

    /// <inheritdoc />
    public EndPoint Host { get; }

    /// <inheritdoc />
    public EndPoint Peer { get; }

    /// <inheritdoc />
    public bool Disconnecting => _disconnecting;

    /// <inheritdoc />
    public long BufferedBytes => _buffer.Count;

    /// <inheritdoc />
    public int HighWaterMark
    {
        get => _highWaterMark;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, _lowWaterMark);
            _highWaterMark = value;
        }
    }

    /// <inheritdoc />
    public int LowWaterMark
    {
        get => _lowWaterMark;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, _highWaterMark);
            _lowWaterMark = value;
        }
    }

    /// <inheritdoc />
    public long WriteBufferLimit
    {
        get => _writeBufferLimit;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, _highWaterMark);
            _writeBufferLimit = value;
        }
    }

    /// <inheritdoc />
    public WriteBufferPolicy WriteBufferPolicy { get; set; }

    /// <summary>Starts waiting for data and connects <paramref name="protocol"/>; a protocol that throws is logged and closed.</summary>
    internal void Start(IProtocol protocol)
    {
        _protocol = protocol;
        _started = true;
        _tracking = _loop.Track(this);
        try
        {
            protocol.MakeConnection(this);
        }
        catch (Exception ex)
        {
            Fail($"{LogPrefix}.MakeConnection", ex);
            return;
        }
        ArmReceive();
    }

    /// <inheritdoc />
    public void OnIoReady(IoEvents events)
    {
        // Completions arrive through Post, never as readiness.
    }

    /// <inheritdoc />
    public void OnReactorShutdown() => CloseNow(new Failure(new ConnectionLostException()), abortive: false);

    private bool ReadingWanted => !_readingPaused && !_readingPausedByBuffer && !_readClosed && !_disconnecting && !_closed;

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
            // The orderly close was waiting for this receive to end (see Teardown); disposing twice is harmless.
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
        try
        {
            _protocol.DataReceived(new ReadOnlySpan<byte>(buffer, 0, n));
        }
        catch (Exception ex)
        {
            Fail($"{LogPrefix}.DataReceived", ex);
            return;
        }
        ArmReceive();
    }

    private void ReadEndOfStream()
    {
        if (_protocol is not IHalfCloseableProtocol halfCloseable)
        {
            CloseNow(Net.Protocol.ConnectionDone, abortive: false);
            return;
        }
        _readClosed = true;
        try
        {
            halfCloseable.ReadConnectionLost();
        }
        catch (Exception ex)
        {
            Fail($"{LogPrefix}.ReadConnectionLost", ex);
        }
    }

    /// <inheritdoc />
    public void PauseProducing()
    {
        _thread.Check(nameof(PauseProducing), StreamConnection.Owner);
        if (_closed) return;
        _readingPaused = true;
    }

    /// <inheritdoc />
    public void ResumeProducing()
    {
        _thread.Check(nameof(ResumeProducing), StreamConnection.Owner);
        if (_closed) return;
        _readingPaused = false;
        ArmReceive();
    }

    /// <summary>Reading stopped for good means the connection is no longer wanted: closes it cleanly, as Twisted does.</summary>
    public void StopProducing() => LoseConnection();

    /// <inheritdoc />
    public void LoseConnection()
    {
        _thread.Check(nameof(LoseConnection), StreamConnection.Owner);
        if (_closed || _disconnecting) return;
        _disconnecting = true;
        EnsureFlushScheduled();
    }

    /// <inheritdoc />
    public void LoseWriteConnection()
    {
        _thread.Check(nameof(LoseWriteConnection), StreamConnection.Owner);
        if (_closed || _writeShutdownRequested) return;
        _writeShutdownRequested = true;
        EnsureFlushScheduled();
    }

    /// <inheritdoc />
    public void AbortConnection()
    {
        _thread.Check(nameof(AbortConnection), StreamConnection.Owner);
        Abort(new ConnectionAbortedException());
    }

    private void Abort(Exception reason)
    {
        if (_closed || _aborting) return;
        _aborting = true;
        _disconnecting = true;
        // As the native layer: the socket goes now, the protocol hears about it on the next turn.
        Teardown(abortive: true);
        _abortReason = reason;
        _loop.CallSoon(static state => ((PortableConnection)state!).NotifyLost(new Failure(((PortableConnection)state!)._abortReason!)), this);
    }

    /// <summary>Closes at once, discarding buffered writes, and tells the protocol (and producer, and connector).</summary>
    internal void CloseNow(Failure reason, bool abortive)
    {
        if (_closed) return;
        Teardown(abortive);
        NotifyLost(reason);
    }

    private void Fail(string where, Exception ex)
    {
        var failure = new Failure(ex);
        Log.Error($"Unhandled error in {where} on {this}; closing the connection", failure);
        CloseNow(failure, abortive: false);
    }

    private void Teardown(bool abortive)
    {
        _closed = true;
        _disconnecting = true;
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
        if (_sendPending) _buffer.Abandon();
        else _buffer.Clear();
    }

    /// <summary>
    /// <see cref="LoseConnection"/>, completing once the connection is lost and the protocol's <c>ConnectionLost</c>
    /// has run (at once if it already has).
    /// </summary>
    public ValueTask DisposeAsync()
    {
        var wait = _lossSignal.Wait();
        if (!wait.IsCompleted) LoseConnection();
        return wait;
    }

    private void NotifyLost(Failure reason)
    {
        try
        {
            NotifyProducerAndProtocol(reason);
        }
        finally
        {
            _lossSignal.Complete();
        }
    }

    private void NotifyProducerAndProtocol(Failure reason)
    {
        if (_producer.Producer is { } producer)
        {
            try
            {
                _producer.Stop();
            }
            catch (Exception ex)
            {
                Log.Error($"Unhandled error stopping producer {producer} of {this}", ex);
            }
        }
        if (!_started) return;
        try
        {
            _protocol.ConnectionLost(reason);
        }
        catch (Exception ex)
        {
            Log.Error($"Unhandled error in {LogPrefix}.ConnectionLost on {this}", ex);
        }
        try
        {
            AfterConnectionLost?.Invoke(reason);
        }
        catch (Exception ex)
        {
            Log.Error($"Unhandled error reporting the loss of {this}", ex);
        }
    }

    private string LogPrefix
    {
        get
        {
            var protocol = _protocol;
            while (protocol is IProtocolWrapper wrapper) protocol = wrapper.Wrapped;
            return protocol is Net.Protocol p ? p.LogPrefix : protocol.GetType().Name;
        }
    }

    /// <summary>The connection, for log messages.</summary>
    public override string ToString() => $"<{GetType().Name} {Host} -> {Peer}>";
}
