using Twine.Defer;
using Twine.Net;
using Twine.Net.Sockets;
using Twine.Reactors.Io;

namespace Twine.Processes.Portable;

/// <summary>
/// The parent's end of the child's stdin on the portable layer: writes are buffered (the sockets'
/// <see cref="WriteBuffer"/>), and the flush phase starts one asynchronous write of the head segment; its completion,
/// posted to the loop, consumes it and starts the next. A registered producer is paused above 64 KiB buffered and
/// resumed at 16 KiB (<see cref="ProducerSlot"/>), as on the native layer. Loop thread only.
/// </summary>
/// <remarks>
/// Unlike a pipe descriptor in a poll set, a stream cannot report that the child closed its end while nothing is being
/// written; the loss shows when a write fails (EPIPE), or when the process owner closes stdin after the child exits.
/// </remarks>
internal sealed class StreamPipeWriter : IFlushable
{
    private const int HighWaterMark = 64 * 1024;
    private const int LowWaterMark = 16 * 1024;

    private static readonly Action<(StreamPipeWriter Writer, Task Write, int Count)> s_written = static s => s.Writer.Written(s.Write, s.Count);

    private readonly IIoLoop _loop;
    private readonly Stream _stream;
    private readonly IPipeOwner _owner;
    private readonly WriteBuffer _buffer;
    private readonly ProducerSlot _producer = new();
    private readonly List<ArraySegment<byte>> _segments = new(1);
    private bool _closing;
    private bool _flushScheduled;
    private bool _writing;

    public StreamPipeWriter(IIoLoop loop, Stream stream, int childFd, IPipeOwner owner)
    {
        _loop = loop;
        _stream = stream;
        ChildFd = childFd;
        _owner = owner;
        _buffer = new WriteBuffer(loop.Local<WriteSegmentPool>());
    }

    /// <summary>The child's descriptor number this pipe serves.</summary>
    public int ChildFd { get; }

    /// <summary>True once closed.</summary>
    public bool Closed { get; private set; }

    /// <summary>Bytes waiting to be written (including a write in flight).</summary>
    public long BufferedBytes => _buffer.Count;

    public void Write(ReadOnlySpan<byte> data)
    {
        if (Closed || _closing || data.IsEmpty) return;
        _buffer.Append(data);
        EnsureFlushScheduled();
        _producer.Written(_buffer.Count, HighWaterMark);
    }

    public void RegisterProducer(IProducer producer, bool streaming)
    {
        if (_producer.Register(producer, streaming, Closed)) _producer.Written(_buffer.Count, HighWaterMark);
    }

    public void UnregisterProducer()
    {
        _producer.Unregister();
        if (_closing && !Closed) EnsureFlushScheduled();
    }

    /// <summary>Closes once what is buffered has been written (and any producer has unregistered).</summary>
    public void LoseConnection()
    {
        if (Closed || _closing) return;
        _closing = true;
        EnsureFlushScheduled();
    }

    /// <inheritdoc />
    public void Flush()
    {
        _flushScheduled = false;
        if (Closed || _writing) return;
        WriteOut();
    }

    private void EnsureFlushScheduled()
    {
        if (_flushScheduled || _writing || Closed) return;
        _flushScheduled = true;
        _loop.ScheduleFlush(this);
    }

    private void WriteOut()
    {
        if (_buffer.Count > 0)
        {
            _segments.Clear();
            _buffer.Gather(_segments, 1);
            var segment = _segments[0];
            _writing = true;
            Task write;
            try
            {
                write = _stream.WriteAsync(segment.Array!, segment.Offset, segment.Count);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                write = Task.FromException(ex);
            }
            write.ContinueWith(static (t, state) =>
            {
                var (writer, count) = ((StreamPipeWriter, int))state!;
                try
                {
                    writer._loop.Post(s_written, (writer, t, count));
                }
                catch (ObjectDisposedException)
                {
                    // The reactor is gone; the stream was closed with it.
                }
            }, (this, segment.Count), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        AfterWrite();
    }

    private void Written(Task write, int count)
    {
        _writing = false;
        if (Closed) return;
        if (!write.IsCompletedSuccessfully)
        {
            // EPIPE: the child closed its end; what is buffered can never be delivered.
            var error = write.Exception?.InnerException ?? new IOException("The write was cancelled.");
            Close(new Failure(new ConnectionLostException($"Writing child descriptor {ChildFd} failed: {error.Message}")));
            return;
        }
        _buffer.Consume(count);
        WriteOut();
    }

    /// <summary>The producer first, then a pending close once everything has left (Twisted's order).</summary>
    private void AfterWrite()
    {
        bool called;
        try
        {
            called = _producer.Drained(_buffer.Count, LowWaterMark);
        }
        catch (Exception ex)
        {
            _owner.ProtocolFailed($"producer {_producer.Producer}.ResumeProducing", ex);
            return;
        }
        if (!called && !_writing && _buffer.Count == 0 && _closing && _producer.Producer is null) Close(Protocol.ConnectionDone);
    }

    /// <summary>Closes now, discarding what is buffered, stops the producer and tells the owner (once).</summary>
    public void Close(Failure reason)
    {
        if (Closed) return;
        Closed = true;
        // A write in flight may read its segment a moment longer: forget the chunks rather than hand them to another pipe.
        if (_writing) _buffer.Abandon();
        else _buffer.Clear();
        try
        {
            _stream.Dispose();
        }
        catch (IOException)
        {
            // Disposing flushes nothing here (the stream is unbuffered), but a broken pipe may still be reported.
        }
        try
        {
            _producer.Stop();
        }
        catch (Exception ex)
        {
            Twine.Logging.Log.Error($"Unhandled error stopping the producer of child descriptor {ChildFd}", ex);
        }
        _owner.PipeClosed(ChildFd, reason);
    }
}
