using Twine.Reactors.Io;
using Twine.Native;
using Twine.Defer;
using Twine.Logging;
using Twine.Net.Native;
using Microsoft.Win32.SafeHandles;

namespace Twine.Net.Sockets;

// The sending half: buffering, the once-per-iteration flush, Writable interest, and producers (flow control).
internal abstract unsafe partial class StreamConnection
{
    /// <summary>Iovecs gathered per <c>sendmsg</c>; 64 pieces cover a megabyte of chunks, and more just loop.</summary>
    private const int IovPerSend = 64;

    /// <summary>The most one <c>sendfile</c> is asked for (Linux caps a call just under 2 GiB anyway).</summary>
    private const long MaxSendFile = 1L << 30;

    private readonly ProducerSlot _producer = new();

    /// <summary>The registered producer (tests).</summary>
    internal IProducer? Producer => _producer.Producer;

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

    /// <inheritdoc />
    public void WriteFile(SafeFileHandle file, long offset, long count)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_closed || _aborting || _writeShutDown || count == 0)
        {
            file.Dispose();
            return;
        }
        _buffer.AppendFile(file, offset, count);
        EnsureFlushScheduled();
        _producer.Written(_buffer.Count, _highWaterMark);
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
            UpdateInterest();
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
    public void RegisterProducer(IProducer producer, bool streaming)
    {
        _thread.Check(nameof(RegisterProducer), Owner);
        if (_producer.Register(producer, streaming, _closed)) _producer.Written(_buffer.Count, _highWaterMark);
    }

    public void UnregisterProducer()
    {
        _thread.Check(nameof(UnregisterProducer), Owner);
        _producer.Unregister();
        // A close (or half-close) was waiting for the producer to finish: let the flush phase complete it.
        if (!_closed && (_disconnecting || _writeShutdownRequested)) EnsureFlushScheduled();
    }

    public void Flush()
    {
        _flushScheduled = false;
        if (_closed || _writableWanted) return;
        WriteOut();
    }

    private void EnsureFlushScheduled()
    {
        // While Writable interest is on, readiness will write; the flush phase would only find the kernel still full.
        if (_flushScheduled || _writableWanted || _closed) return;
        _flushScheduled = true;
        _loop.ScheduleFlush(this);
    }

    /// <inheritdoc />
    public void SendNow()
    {
        _thread.Check(nameof(SendNow), Owner);
        // With Writable interest on, the kernel is full: readiness will send. The flush already scheduled (if any)
        // stays scheduled and runs AfterSend once, as it would have without this call.
        if (_closed || _writableWanted || _buffer.Count == 0) return;
        SendBuffered();
    }

    /// <summary>Sends until the buffer is empty or the kernel is full, then applies what follows from that.</summary>
    private void WriteOut()
    {
        if (SendBuffered()) AfterSend();
    }

    /// <summary>
    /// Sends until the buffer is empty or the kernel is full, and asks for Writable readiness if bytes remain. Returns
    /// false if the connection closed on the way (the peer is gone, a file failed).
    /// </summary>
    private bool SendBuffered()
    {
        if (_descriptorsOut is { Count: > 0 } && !SendQueuedDescriptors()) return false;
        var iov = stackalloc SocketNative.IoVec[IovPerSend];
        while (_buffer.Count > 0)
        {
            if (_buffer.HeadFile is { } region)
            {
                if (!SendFileRegion(region, out bool full)) return false;
                if (full) break;
                continue;
            }
            int count = _buffer.Gather(iov, IovPerSend, out long total);
            var message = new SocketNative.MsgHdr { Iov = iov, IovLength = (nuint)count };
            nint sent = SocketNative.SendMsg(_fd, &message, SocketNative.MSG_NOSIGNAL);
            if (sent < 0)
            {
                int errno = SocketNative.LastError;
                if (errno == Errno.EINTR) continue;
                if (errno == Errno.EAGAIN) break;
                // EPIPE / ECONNRESET: the peer is gone; what is buffered can never be delivered.
                CloseNow(new Failure(SocketErrors.Lost(errno)), abortive: false);
                return false;
            }
            _buffer.Consume(sent);
            if (sent < total) break;   // a short write: the kernel's buffer is full
        }
        SetWritableWanted(_buffer.Count > 0);
        return true;
    }

    /// <summary>
    /// Sends from the file region at the head of the buffer. Returns false if the connection was closed; sets
    /// <paramref name="full"/> when the kernel took less than asked (its buffer is full).
    /// </summary>
    private bool SendFileRegion(WriteSegment region, out bool full)
    {
        full = false;
        long offset = region.FileOffset;
        long asked = Math.Min(region.FileCount, MaxSendFile);
        nint sent;
        do sent = SocketNative.SendFile(_fd, (int)region.File!.DangerousGetHandle(), &offset, (nuint)asked);
        while (sent < 0 && SocketNative.LastError == Errno.EINTR);
        if (sent < 0)
        {
            int errno = SocketNative.LastError;
            if (errno == Errno.EAGAIN)
            {
                full = true;
                return true;
            }
            if (errno is Errno.EPIPE or Errno.ECONNRESET)
            {
                CloseNow(new Failure(SocketErrors.Lost(errno)), abortive: false);
                return false;
            }
            // The file, not the socket, failed (EIO...): the peer can never get the bytes it was promised.
            CloseNow(new Failure(new IOException($"sendfile failed with errno {errno} on {this}.")), abortive: true);
            return false;
        }
        if (sent == 0)
        {
            // The file is shorter than the region (truncated since it was queued): end the connection rather than
            // leave the peer waiting for bytes that will never come, or let later writes pose as the missing ones.
            CloseNow(new Failure(new IOException($"The file being sent ended {region.FileCount} bytes early on {this}.")), abortive: true);
            return false;
        }
        _buffer.Consume(sent);
        full = sent < asked;
        return true;
    }

    /// <summary>
    /// After bytes left: resume a paused producer at the low-water mark; once empty, ask a pull producer for more, or
    /// finish a pending close or half-close (Twisted's <c>doWrite</c> order: the producer first).
    /// </summary>
    private void AfterSend()
    {
        if (_readingPausedByBuffer && _buffer.Count <= _lowWaterMark)
        {
            _readingPausedByBuffer = false;
            UpdateInterest();
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
        if (called || _buffer.Count > 0) return;
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
        // ENOTCONN here means the peer already reset the connection; reading will report that.
        SocketNative.Shutdown(_fd, SocketNative.SHUT_WR);
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

    private void SetWritableWanted(bool wanted)
    {
        if (_writableWanted == wanted || _closed) return;
        _writableWanted = wanted;
        UpdateInterest();
    }
}
