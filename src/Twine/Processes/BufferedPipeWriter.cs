using Twine.Defer;
using Twine.Net;
using Twine.Net.Sockets;
using Twine.Reactors.Io;

namespace Twine.Processes;

/// <summary>
/// The rules of a pipe's writing end that do not depend on how bytes reach the pipe, shared by the native writer
/// (<c>writev</c> on a descriptor) and the portable one (a <see cref="Stream"/>): writes are buffered (the sockets'
/// <see cref="WriteBuffer"/>) and flushed once per loop iteration; a registered producer is paused above 64 KiB
/// buffered and resumed at 16 KiB (<see cref="ProducerSlot"/>); a close waits for the buffer and the producer. Loop
/// thread only.
/// </summary>
internal abstract class BufferedPipeWriter : IFlushable
{
    private const int HighWaterMark = 64 * 1024;
    private const int LowWaterMark = 16 * 1024;

    private protected readonly IIoLoop _loop;
    private protected readonly IPipeOwner _owner;
    private protected readonly WriteBuffer _buffer;
    private readonly ProducerSlot _producer = new();
    private bool _closing;
    private bool _flushScheduled;

    private protected BufferedPipeWriter(IIoLoop loop, int childFd, IPipeOwner owner)
    {
        _loop = loop;
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

    /// <summary>True while earlier bytes are still on their way (a full pipe, a write in flight): the flush phase would find nothing to do.</summary>
    private protected abstract bool Busy { get; }

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
        if (Closed || Busy) return;
        WriteOut();
    }

    private protected void EnsureFlushScheduled()
    {
        if (_flushScheduled || Busy || Closed) return;
        _flushScheduled = true;
        _loop.ScheduleFlush(this);
    }

    /// <summary>Writes what the pipe takes now (or starts a write), then calls <see cref="AfterWrite"/>.</summary>
    private protected abstract void WriteOut();

    /// <summary>The producer first, then a pending close once everything has left (Twisted's order).</summary>
    private protected void AfterWrite()
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
        if (!called && !Busy && _buffer.Count == 0 && _closing && _producer.Producer is null) Close(Protocol.ConnectionDone);
    }

    /// <summary>Releases the pipe and what is buffered; called once, by <see cref="Close"/>.</summary>
    private protected abstract void Release();

    /// <summary>Closes now, discarding what is buffered, stops the producer and tells the owner (once).</summary>
    public void Close(Failure reason)
    {
        if (Closed) return;
        Closed = true;
        Release();
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
