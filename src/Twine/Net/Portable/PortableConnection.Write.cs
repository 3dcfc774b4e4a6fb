using System.Net.Sockets;
using Twine.Defer;
using Twine.Net.Sockets;

namespace Twine.Net.Portable;

// The sending half: the same buffering and flow-control rules as StreamConnection.Write.cs, with asynchronous sends.
internal abstract partial class PortableConnection
{
    /// <summary>Segments per send; more just take another send.</summary>
    private const int SegmentsPerSend = 64;

    private static readonly Action<PortableConnection> s_sendDone = static c => c.OnSendDone();

    private readonly ProducerSlot _producer = new();
    private readonly SocketAsyncEventArgs _sendArgs = new();
    private readonly List<ArraySegment<byte>> _sendList = new(SegmentsPerSend);
    private bool _sendPending;
    private bool _flushScheduled;

    /// <summary>Segments in the write buffer (tests: small writes are packed).</summary>
    internal int BufferSegments => _buffer.SegmentCount;

    /// <summary>True while a send is in flight (tests).</summary>
    internal bool SendPending => _sendPending;

    /// <inheritdoc />
    public void Write(ReadOnlySpan<byte> data)
    {
        _thread.Check(nameof(Write), StreamConnection.Owner);
        if (_closed || _aborting || _writeShutDown || data.IsEmpty) return;
        _buffer.Append(data);
        EnsureFlushScheduled();
        _producer.Written(_buffer.Count, _highWaterMark);
        if (_buffer.Count > _writeBufferLimit) WriteBufferFull();
    }

    private void WriteBufferFull()
    {
        if (WriteBufferPolicy == WriteBufferPolicy.Close) Abort(new WriteBufferFullException(_writeBufferLimit));
        else _readingPausedByBuffer = true;   // no re-arm until the buffer drains
    }

    /// <inheritdoc />
    public void WriteSequence(IEnumerable<ReadOnlyMemory<byte>> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _thread.Check(nameof(WriteSequence), StreamConnection.Owner);
        foreach (var chunk in data) Write(chunk.Span);
    }

    /// <inheritdoc />
    public void RegisterProducer(IProducer producer, bool streaming)
    {
        _thread.Check(nameof(RegisterProducer), StreamConnection.Owner);
        if (_producer.Register(producer, streaming, _closed)) _producer.Written(_buffer.Count, _highWaterMark);
    }

    /// <inheritdoc />
    public void UnregisterProducer()
    {
        _thread.Check(nameof(UnregisterProducer), StreamConnection.Owner);
        _producer.Unregister();
        if (!_closed && (_disconnecting || _writeShutdownRequested)) EnsureFlushScheduled();
    }

    /// <inheritdoc />
    public void Flush()
    {
        _flushScheduled = false;
        if (_closed || _sendPending) return;
        WriteOut();
    }

    private void EnsureFlushScheduled()
    {
        // While a send is in flight its completion carries on; the flush phase would find nothing to do.
        if (_flushScheduled || _sendPending || _closed) return;
        _flushScheduled = true;
        _loop.ScheduleFlush(this);
    }

    /// <summary>Sends until the buffer is empty or a send is in flight, then applies what follows from that.</summary>
    private void WriteOut()
    {
        while (_buffer.Count > 0)
        {
            _sendList.Clear();
            _buffer.Gather(_sendList, SegmentsPerSend);
            _sendArgs.BufferList = _sendList;
            _sendPending = true;
            bool pending;
            try
            {
                pending = _socket.SendAsync(_sendArgs);
            }
            catch (ObjectDisposedException)
            {
                _sendPending = false;
                return;
            }
            if (pending)
            {
                // As after a short write on the native layer: a producer may resume at the low-water mark while the
                // rest is still on its way. OnSendDone carries on from here.
                AfterSend();
                return;
            }
            if (!SendCompleted()) return;
        }
        AfterSend();
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
        _sendPending = false;
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

    /// <summary>After bytes left: the producer first, then a pending close or half-close (Twisted's order).</summary>
    private void AfterSend()
    {
        if (_readingPausedByBuffer && _buffer.Count <= _lowWaterMark)
        {
            _readingPausedByBuffer = false;
            ArmReceive();
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
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The peer already reset the connection; reading will report that.
        }
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
