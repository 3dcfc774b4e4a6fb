namespace Twine.Net.Sockets;

// The sending rules both layers share: buffering, the write-buffer limit and policy, producers (flow control), the
// once-per-iteration flush, and what follows a send (resume, pull, finish a close or half-close).
internal abstract partial class StreamTransport
{
    private protected readonly ProducerSlot _producer = new();

    private int _highWaterMark = 64 * 1024;
    private int _lowWaterMark = 16 * 1024;
    private long _writeBufferLimit = long.MaxValue;
    private bool _flushScheduled;
    private bool _readingPausedByBuffer;
    private protected bool _writeShutdownRequested;
    private protected bool _writeShutDown;

    /// <summary>
    /// True while the layer is still moving earlier bytes (native: the kernel's buffer was full and Writable interest
    /// is on; portable: a send is in flight): its own completion carries on, so the flush phase is not asked.
    /// </summary>
    private protected bool _sendBlocked;

    /// <summary>The registered producer (tests).</summary>
    internal IProducer? Producer => _producer.Producer;

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

    /// <inheritdoc />
    public void Write(ReadOnlySpan<byte> data)
    {
        _thread.Check(nameof(Write), Owner);
        if (_closed || _aborting || _writeShutDown || data.IsEmpty) return;
        _buffer.Append(data);
        EnsureFlushScheduled();
        _producer.Written(_buffer.Count, _highWaterMark);
        // The limit bounds memory: file regions waiting in the buffer hold none.
        if (_buffer.Count - _buffer.FileBytes > _writeBufferLimit) WriteBufferFull();
    }

    private void WriteBufferFull()
    {
        if (WriteBufferPolicy == WriteBufferPolicy.Close)
        {
            Abort(new WriteBufferFullException(_writeBufferLimit));
        }
        else if (!_readingPausedByBuffer)
        {
            _readingPausedByBuffer = true;
            ReadingChanged();
        }
    }

    /// <inheritdoc />
    public void WriteSequence(IEnumerable<ReadOnlyMemory<byte>> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _thread.Check(nameof(WriteSequence), Owner);
        foreach (var chunk in data) Write(chunk.Span);
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
    public void RegisterProducer(IProducer producer, bool streaming)
    {
        _thread.Check(nameof(RegisterProducer), Owner);
        if (_producer.Register(producer, streaming, _closed)) _producer.Written(_buffer.Count, _highWaterMark);
    }

    /// <inheritdoc />
    public void UnregisterProducer()
    {
        _thread.Check(nameof(UnregisterProducer), Owner);
        _producer.Unregister();
        // A close (or half-close) was waiting for the producer to finish: let the flush phase complete it.
        if (!_closed && (_disconnecting || _writeShutdownRequested)) EnsureFlushScheduled();
    }

    /// <inheritdoc />
    public void SendNow()
    {
        _thread.Check(nameof(SendNow), Owner);
        // While a send is blocked (the kernel is full, or the portable layer's send is in flight) its completion
        // sends. The flush already scheduled (if any) stays and runs AfterSend once, as without this call.
        if (_closed || _sendBlocked || _buffer.Count == 0) return;
        SendWithoutAfterSend();
    }

    /// <summary>Sends what the kernel takes of the buffer now; producers and closing are left to the flush.</summary>
    private protected abstract void SendWithoutAfterSend();

    /// <summary>
    /// The flush phase reached this connection: true when the layer should send now (false while closed or while
    /// <see cref="_sendBlocked"/>, whose completion sends instead).
    /// </summary>
    private protected bool FlushDue()
    {
        _flushScheduled = false;
        return !_closed && !_sendBlocked;
    }

    private protected void EnsureFlushScheduled()
    {
        if (_flushScheduled || _sendBlocked || _closed) return;
        _flushScheduled = true;
        _loop.ScheduleFlush(this);
    }

    /// <summary>
    /// After bytes left: resume reading paused by the buffer limit and a paused producer at the low-water mark; once
    /// empty, ask a pull producer for more, or finish a pending close or half-close (Twisted's <c>doWrite</c> order:
    /// the producer first).
    /// </summary>
    private protected void AfterSend()
    {
        if (_readingPausedByBuffer && _buffer.Count <= _lowWaterMark)
        {
            _readingPausedByBuffer = false;
            ReadingChanged();
        }
        bool called;
        try
        {
            called = _producer.Drained(_buffer.Count, _lowWaterMark);
        }
        catch (Exception ex)
        {
            Fail($"producer {_producer.Producer}.ResumeProducing", ex);
            return;
        }
        if (called || _buffer.Count > 0 || _closed) return;
        if (_disconnecting && !_aborting)
        {
            CloseNow(Net.Protocol.ConnectionDone, abortive: false);
        }
        else if (_writeShutdownRequested && !_writeShutDown)
        {
            ShutdownWrite();
        }
    }

    private void ShutdownWrite()
    {
        _writeShutDown = true;
        ShutdownSocketWrite();
        if (_protocol is not IHalfCloseableProtocol halfCloseable) return;
        try
        {
            halfCloseable.WriteConnectionLost();
        }
        catch (Exception ex)
        {
            Fail($"{LogPrefix}.WriteConnectionLost", ex);
        }
    }
}
