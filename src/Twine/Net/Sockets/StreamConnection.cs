using Twine.Native;
using Twine.Reactors.Io;
using System.Net;
using Twine.Defer;
using Twine.Logging;
using Twine.Net.Native;
using Twine.Threading;

namespace Twine.Net.Sockets;

/// <summary>
/// One connected stream socket (TCP or Unix) driving one protocol, after Twisted's <c>tcp.Connection</c>: reads on
/// readiness into the reactor's shared buffer, buffers writes and flushes them once per loop iteration, closes
/// cleanly, half-way or abortively, and applies flow control both ways. Loop thread only.
/// </summary>
/// <remarks>
/// <para>Interest in the reactor follows the state: Readable while reading is wanted (not paused, not after EOF, not
/// while closing), Writable only while the kernel's send buffer is full. Everything else waits for the flush phase,
/// so a burst of small writes from one callback leaves in one <c>sendmsg</c>.</para>
/// <para>Failures are local: a protocol that throws closes its own connection with that failure (logged), and no
/// other connection notices.</para>
/// </remarks>
internal abstract unsafe partial class StreamConnection : ISocketTransport, IFileSendingTransport, ISwitchableTransport, IIoHandler, IFlushable, IReactorThreadOwned, IImmediateSend
{
    /// <summary>How the thread rule names a transport in its message.</summary>
    internal const string Owner = "this transport";

    private readonly IIoLoop _loop;
    private readonly ReactorThread _thread;
    private readonly int _fd;
    private readonly WriteBuffer _buffer;
    private IoRegistration? _registration;
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
    private Exception? _abortReason;
    private bool _flushScheduled;
    private bool _writableWanted;

    private int _highWaterMark = 64 * 1024;
    private int _lowWaterMark = 16 * 1024;
    private long _writeBufferLimit = long.MaxValue;

    protected StreamConnection(IIoLoop loop, int fd, EndPoint host, EndPoint peer)
    {
        _loop = loop;
        _thread = loop.Thread;
        _fd = fd;
        _buffer = new WriteBuffer(loop.Local<WriteSegmentPool>());
        Host = host;
        Peer = peer;
    }

    /// <inheritdoc />
    ReactorThread? IReactorThreadOwned.OwnerThread => _thread;

    /// <summary>The socket's descriptor.</summary>
    internal int Fd => _fd;

    /// <summary>The protocol this transport drives (a placeholder until <see cref="Start"/>).</summary>
    internal IProtocol Protocol => _protocol;

    /// <inheritdoc />
    IProtocol ISwitchableTransport.Protocol => _protocol;

    /// <inheritdoc />
    void ISwitchableTransport.SwitchProtocol(IProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        _protocol = protocol;   // STARTTLS: the TLS layer now sits between the socket and the protocol
    }

    /// <summary>True once the socket is closed and the protocol told.</summary>
    internal bool Closed => _closed;

    /// <summary>Segments in the write buffer (tests: small writes are packed).</summary>
    internal int BufferSegments => _buffer.SegmentCount;

    /// <summary>True while Writable interest is on: the kernel's send buffer was full at the last write.</summary>
    internal bool WaitingForWritable => _writableWanted;

    /// <summary>Called after the protocol's <c>ConnectionLost</c>: a client connection reports to its connector here.</summary>
    internal Action<Failure>? AfterConnectionLost { get; set; }

    private readonly ConnectionLossSignal _lossSignal = new();

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

    /// <summary>
    /// Registers the socket for reading and connects <paramref name="protocol"/> (its <c>MakeConnection</c>). A
    /// protocol that throws there is logged and its connection closed with that failure.
    /// </summary>
    internal void Start(IProtocol protocol)
    {
        _protocol = protocol;
        _started = true;
        _registration = _loop.RegisterIo(_fd, IoEvents.Readable, this);
        try
        {
            protocol.MakeConnection(this);
        }
        catch (Exception ex)
        {
            Fail($"{LogPrefix}.MakeConnection", ex);
        }
    }

    /// <inheritdoc />
    public void OnIoReady(IoEvents events)
    {
        if ((events & IoEvents.Readable) != 0 && !_closed) DoRead();
        if ((events & IoEvents.Writable) != 0 && !_closed) WriteOut();
    }

    /// <inheritdoc />
    public void OnReactorShutdown() => CloseNow(new Failure(new ConnectionLostException()), abortive: false);

    /// <summary>Reads once (level-triggered readiness calls again if more is waiting, which keeps connections fair).</summary>
    private void DoRead()
    {
        var buffer = _loop.ReadBuffer;
        nint n;
        fixed (byte* p = buffer) n = ReceivesDescriptors ? ReceiveWithDescriptors(p, (nuint)buffer.Length) : SocketNative.Recv(_fd, p, (nuint)buffer.Length, 0);
        if (n > 0)
        {
            if (_closed) return;   // a descriptor receiver closed the connection
            try
            {
                _protocol.DataReceived(new ReadOnlySpan<byte>(buffer, 0, (int)n));
            }
            catch (Exception ex)
            {
                Fail($"{LogPrefix}.DataReceived", ex);
            }
            return;
        }
        if (n == 0)
        {
            ReadEndOfStream();
            return;
        }
        int errno = SocketNative.LastError;
        if (errno is Errno.EAGAIN or Errno.EINTR) return;
        CloseNow(new Failure(SocketErrors.Lost(errno)), abortive: false);
    }

    /// <summary>The peer finished writing: a half-closeable protocol is told and may go on writing; any other is disconnected.</summary>
    private void ReadEndOfStream()
    {
        if (_protocol is not IHalfCloseableProtocol halfCloseable)
        {
            CloseNow(Net.Protocol.ConnectionDone, abortive: false);
            return;
        }
        _readClosed = true;
        UpdateInterest();
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
        _thread.Check(nameof(PauseProducing), Owner);
        if (_closed) return;
        _readingPaused = true;
        UpdateInterest();
    }

    /// <inheritdoc />
    public void ResumeProducing()
    {
        _thread.Check(nameof(ResumeProducing), Owner);
        if (_closed) return;
        _readingPaused = false;
        UpdateInterest();
    }

    /// <summary>Reading stopped for good means the connection is no longer wanted: closes it cleanly, as Twisted does.</summary>
    public void StopProducing() => LoseConnection();

    /// <inheritdoc />
    public void LoseConnection()
    {
        _thread.Check(nameof(LoseConnection), Owner);
        if (_closed || _disconnecting) return;
        _disconnecting = true;
        UpdateInterest();
        // The close happens in the flush phase once the buffer is empty, never from inside the caller's callback.
        EnsureFlushScheduled();
    }

    /// <inheritdoc />
    public void LoseWriteConnection()
    {
        _thread.Check(nameof(LoseWriteConnection), Owner);
        if (_closed || _writeShutdownRequested) return;
        _writeShutdownRequested = true;
        EnsureFlushScheduled();
    }

    /// <inheritdoc />
    public void AbortConnection()
    {
        _thread.Check(nameof(AbortConnection), Owner);
        Abort(new ConnectionAbortedException());
    }

    private void Abort(Exception reason)
    {
        if (_closed || _aborting) return;
        _aborting = true;
        _disconnecting = true;
        // The socket goes now, with a reset; the protocol hears about it on the next turn, not inside its own call
        // (which may be another connection's callback, iterating over its peers).
        Teardown(abortive: true);
        _abortReason = reason;
        _loop.CallSoon(static state => ((StreamConnection)state!).NotifyLost(new Failure(((StreamConnection)state!)._abortReason!)), this);
    }

    /// <summary>
    /// Closes at once, discarding buffered writes, and tells the protocol (and producer, and connector). With
    /// <paramref name="abortive"/> the peer sees a reset instead of an orderly end.
    /// </summary>
    internal void CloseNow(Failure reason, bool abortive)
    {
        if (_closed) return;
        Teardown(abortive);
        NotifyLost(reason);
    }

    /// <summary>Logs a protocol's exception and closes its connection with it (ConnectionLost receives the failure).</summary>
    private void Fail(string where, Exception ex)
    {
        var failure = new Failure(ex);
        Log.Error(LogEventId.ProtocolCallbackFailed, typeof(StreamConnection), $"Unhandled error in {where} on {this}; closing the connection", failure);
        CloseNow(failure, abortive: false);
    }

    private void Teardown(bool abortive)
    {
        _closed = true;
        _disconnecting = true;
        _registration?.Dispose();
        if (abortive) SocketNative.SetAbortiveClose(_fd);
        LibC.Close(_fd);
        _buffer.Clear();
        DiscardQueuedDescriptors();
        _writableWanted = false;
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
                Log.Error(LogEventId.ProducerStopFailed, typeof(StreamConnection), $"Unhandled error stopping producer {producer} of {this}", ex);
            }
        }
        if (!_started) return;
        try
        {
            _protocol.ConnectionLost(reason);
        }
        catch (Exception ex)
        {
            Log.Error(LogEventId.ConnectionLostFailed, typeof(StreamConnection), $"Unhandled error in {LogPrefix}.ConnectionLost on {this}", ex);
        }
        try
        {
            AfterConnectionLost?.Invoke(reason);
        }
        catch (Exception ex)
        {
            Log.Error(LogEventId.LossReportFailed, typeof(StreamConnection), $"Unhandled error reporting the loss of {this}", ex);
        }
    }

    private void UpdateInterest()
    {
        if (_registration is not { IsRegistered: true } registration) return;
        var interest = IoEvents.None;
        if (!_readingPaused && !_readingPausedByBuffer && !_readClosed && !_disconnecting) interest |= IoEvents.Readable;
        if (_writableWanted) interest |= IoEvents.Writable;
        registration.Interest = interest;
    }

    /// <summary>The protocol's log prefix, for error messages.</summary>
    private string LogPrefix
    {
        get
        {
            // Wrappers (an endpoint's notifier, TLS) are implementation details: name the user's protocol.
            var protocol = _protocol;
            while (protocol is IProtocolWrapper wrapper) protocol = wrapper.Wrapped;
            return protocol is Net.Protocol p ? p.LogPrefix : protocol.GetType().Name;
        }
    }

    /// <summary>The connection, for log messages.</summary>
    public override string ToString() => $"<{GetType().Name} fd={_fd} {Host} -> {Peer}>";
}
