using System.Net;
using System.Runtime.CompilerServices;
using Twine.Defer;
using Twine.Logging;
using Twine.Reactors.Io;
using Twine.Threading;

namespace Twine.Net.Sockets;

/// <summary>
/// What every stream connection (TCP or Unix, on either socket layer) does whatever moves its bytes, written once: the
/// state (connected, disconnecting, half-closed, closed), the write buffer, its limit and policy, producer flow
/// control, the close rules and the order of the protocol's callbacks, the address and option properties and
/// <see cref="IAsyncDisposable"/>. A socket layer derives from it and supplies only its I/O: the native
/// <see cref="StreamConnection"/> (epoll readiness, <c>recv</c>/<c>sendmsg</c>) and the portable layer's connection
/// (<c>System.Net.Sockets</c> completions). Loop thread only.
/// </summary>
/// <remarks>
/// <para>The hot path stays in the layer: a layer reads and calls <see cref="Deliver"/>, and its flush calls
/// <see cref="AfterSend"/>; both are non-virtual, and <see cref="Write"/> never calls into the layer. The abstract hooks
/// run only when the state changes (pause, resume, close, half-close).</para>
/// <para>Failures are local: a protocol that throws closes its own connection with that failure (logged), and no
/// other connection notices.</para>
/// </remarks>
internal abstract partial class StreamTransport : ISocketTransport, ISwitchableTransport, IIoHandler, IFlushable, IReactorThreadOwned, IImmediateSend
{
    /// <summary>How the thread rule names a transport in its message.</summary>
    internal const string Owner = "this transport";

    /// <inheritdoc />
    ReactorThread? IReactorThreadOwned.OwnerThread => _thread;

    private protected readonly IIoLoop _loop;
    private protected readonly ReactorThread _thread;
    private protected readonly WriteBuffer _buffer;
    private readonly ConnectionLossSignal _lossSignal = new();
    private protected IProtocol _protocol = NullProtocol.Instance;

    private protected bool _closed;
    private protected bool _disconnecting;
    private protected bool _aborting;
    private bool _started;
    private bool _readClosed;
    private bool _readingPaused;
    private Exception? _abortReason;

    private protected StreamTransport(IIoLoop loop, EndPoint host, EndPoint peer)
    {
        _loop = loop;
        _thread = loop.Thread;
        _buffer = new WriteBuffer(loop.Local<WriteSegmentPool>());
        Host = host;
        Peer = peer;
    }

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

    /// <summary>Called after the protocol's <c>ConnectionLost</c>: a client connection reports to its connector here.</summary>
    internal Action<Failure>? AfterConnectionLost { get; set; }

    /// <inheritdoc />
    public EndPoint Host { get; }

    /// <inheritdoc />
    public EndPoint Peer { get; }

    /// <inheritdoc />
    public bool Disconnecting => _disconnecting;

    /// <summary>
    /// True while the peer's bytes are wanted: not paused by the protocol or by a full write buffer, not after the
    /// peer's end of stream, not while closing.
    /// </summary>
    private protected bool ReadingWanted => !_readingPaused && !_readingPausedByBuffer && !_readClosed && !_disconnecting && !_closed;

    /// <summary>
    /// Connects <paramref name="protocol"/> (its <c>MakeConnection</c>) after the layer's <see cref="Attach"/>, and
    /// starts reading unless the protocol closed or paused the connection meanwhile. A protocol that throws is logged
    /// and its connection closed with that failure.
    /// </summary>
    internal void Start(IProtocol protocol)
    {
        _protocol = protocol;
        _started = true;
        Attach();
        try
        {
            protocol.MakeConnection(this);
        }
        catch (Exception ex)
        {
            Fail($"{LogPrefix}.MakeConnection", ex);
            return;
        }
        ReadingChanged();
    }

    /// <summary>The layer joins the loop (registers the socket, or tracks its completions) before the protocol connects.</summary>
    private protected abstract void Attach();

    /// <summary>
    /// <see cref="ReadingWanted"/> may have changed: the layer turns its Readable interest on or off, or re-arms its
    /// receive. Not called per read.
    /// </summary>
    private protected abstract void ReadingChanged();

    /// <summary>The layer closes its socket (with a reset when <paramref name="abortive"/>) and releases the write buffer.</summary>
    private protected abstract void ReleaseSocket(bool abortive);

    /// <summary>The layer shuts down the socket's sending direction (a failure means the peer reset: reading reports it).</summary>
    private protected abstract void ShutdownSocketWrite();

    /// <inheritdoc />
    public abstract void OnIoReady(IoEvents events);

    /// <inheritdoc />
    public abstract void Flush();

    /// <inheritdoc />
    public void OnReactorShutdown() => CloseNow(new Failure(new ConnectionLostException()), abortive: false);

    /// <summary>Hands bytes the layer read to the protocol; false when the protocol threw (the connection is then closed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private protected bool Deliver(ReadOnlySpan<byte> data)
    {
        try
        {
            _protocol.DataReceived(data);
            return true;
        }
        catch (Exception ex)
        {
            Fail($"{LogPrefix}.DataReceived", ex);
            return false;
        }
    }

    /// <summary>The peer finished writing: a half-closeable protocol is told and may go on writing; any other is disconnected.</summary>
    private protected void ReadEndOfStream()
    {
        if (_protocol is not IHalfCloseableProtocol halfCloseable)
        {
            CloseNow(Net.Protocol.ConnectionDone, abortive: false);
            return;
        }
        _readClosed = true;
        ReadingChanged();
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
        ReadingChanged();
    }

    /// <inheritdoc />
    public void ResumeProducing()
    {
        _thread.Check(nameof(ResumeProducing), Owner);
        if (_closed) return;
        _readingPaused = false;
        ReadingChanged();
    }

    /// <summary>Reading stopped for good means the connection is no longer wanted: closes it cleanly, as Twisted does.</summary>
    public void StopProducing() => LoseConnection();

    /// <inheritdoc />
    public void LoseConnection()
    {
        _thread.Check(nameof(LoseConnection), Owner);
        if (_closed || _disconnecting) return;
        _disconnecting = true;
        ReadingChanged();
        // The close happens in the flush phase once the buffer is empty, never from inside the caller's callback.
        EnsureFlushScheduled();
    }

    /// <inheritdoc />
    public void AbortConnection()
    {
        _thread.Check(nameof(AbortConnection), Owner);
        Abort(new ConnectionAbortedException());
    }

    private protected void Abort(Exception reason)
    {
        if (_closed || _aborting) return;
        _aborting = true;
        _disconnecting = true;
        // The socket goes now, with a reset; the protocol hears about it on the next turn, not inside its own call
        // (which may be another connection's callback, iterating over its peers).
        Teardown(abortive: true);
        _abortReason = reason;
        _loop.CallSoon(static state => ((StreamTransport)state!).NotifyLost(new Failure(((StreamTransport)state!)._abortReason!)), this);
    }

    /// <summary>
    /// Closes at once, discarding buffered writes, and tells the protocol (and producer, and connector). With
    /// <paramref name="abortive"/> the peer sees a reset instead of an orderly end. On a connection never started
    /// (its factory refused it) this only closes the socket.
    /// </summary>
    internal void CloseNow(Failure reason, bool abortive)
    {
        if (_closed) return;
        Teardown(abortive);
        NotifyLost(reason);
    }

    /// <summary>Logs a protocol's exception and closes its connection with it (ConnectionLost receives the failure).</summary>
    private protected void Fail(string where, Exception ex)
    {
        var failure = new Failure(ex);
        Log.Error(LogEventId.ProtocolCallbackFailed, typeof(StreamTransport), $"Unhandled error in {where} on {this}; closing the connection", failure);
        CloseNow(failure, abortive: false);
    }

    private void Teardown(bool abortive)
    {
        _closed = true;
        _disconnecting = true;
        ReleaseSocket(abortive);
        _sendBlocked = false;
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
                Log.Error(LogEventId.ProducerStopFailed, typeof(StreamTransport), $"Unhandled error stopping producer {producer} of {this}", ex);
            }
        }
        if (!_started) return;
        try
        {
            _protocol.ConnectionLost(reason);
        }
        catch (Exception ex)
        {
            Log.Error(LogEventId.ConnectionLostFailed, typeof(StreamTransport), $"Unhandled error in {LogPrefix}.ConnectionLost on {this}", ex);
        }
        try
        {
            AfterConnectionLost?.Invoke(reason);
        }
        catch (Exception ex)
        {
            Log.Error(LogEventId.LossReportFailed, typeof(StreamTransport), $"Unhandled error reporting the loss of {this}", ex);
        }
    }

    /// <summary>The protocol's log prefix, for error messages.</summary>
    private protected string LogPrefix
    {
        get
        {
            // Wrappers (an endpoint's notifier, TLS) are implementation details: name the user's protocol.
            var protocol = _protocol;
            while (protocol is IProtocolWrapper wrapper) protocol = wrapper.Wrapped;
            return protocol is Net.Protocol p ? p.LogPrefix : protocol.GetType().Name;
        }
    }
}
