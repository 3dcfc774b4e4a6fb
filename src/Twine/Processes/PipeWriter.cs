using Twine.Defer;
using Twine.Native;
using Twine.Net;
using Twine.Net.Native;
using Twine.Net.Sockets;
using Twine.Reactors.Io;

namespace Twine.Processes;

/// <summary>
/// The parent's writing end of one pipe: writes are buffered (the sockets' <see cref="WriteBuffer"/>) and leave in one
/// <c>writev</c> per loop iteration; a full pipe turns on Writable interest; a registered producer is paused above the
/// high-water mark and resumed at the low one (<see cref="ProducerSlot"/>). Loop thread only.
/// </summary>
/// <remarks>
/// The descriptor stays registered for Readable even though a pipe's write end is never readable: that keeps it in the
/// poll set, where the kernel reports an error on it as soon as the reader (the child) has gone, so the loss is noticed
/// without anything to write (Twisted's "read hack" on <c>ProcessWriter</c>). Only on a pipe: StandardIO's stdout may be
/// a socket or a terminal, where readable means input from the other side, so only an error or hang-up counts there. A regular file is not
/// polled at all (epoll refuses it, and a write to it never waits): what a short write leaves is retried next turn.
/// </remarks>
internal sealed unsafe class PipeWriter : IIoHandler, IFlushable
{
    private const int IovPerWrite = 64;
    private const int HighWaterMark = 64 * 1024;
    private const int LowWaterMark = 16 * 1024;

    private readonly IIoLoop _loop;
    private readonly int _fd;
    private readonly IPipeOwner _owner;
    private readonly WriteBuffer _buffer;
    private readonly ProducerSlot _producer = new();
    private IoRegistration? _registration;
    private bool _closing;
    private bool _flushScheduled;
    private bool _writableWanted;
    private bool _file;
    private bool _readHack;

    public PipeWriter(IIoLoop loop, int fd, int childFd, IPipeOwner owner)
    {
        _loop = loop;
        _fd = fd;
        ChildFd = childFd;
        _owner = owner;
        _buffer = new WriteBuffer(loop.Local<WriteSegmentPool>());
    }

    /// <summary>The child's descriptor number this pipe serves.</summary>
    public int ChildFd { get; }

    /// <summary>True once closed.</summary>
    public bool Closed { get; private set; }

    /// <summary>Bytes waiting to be written.</summary>
    public long BufferedBytes => _buffer.Count;

    public void Start()
    {
        _file = ProcessNative.IsFileLike(_fd);
        _readHack = !_file && ProcessNative.IsPipe(_fd);
        if (!_file) _registration = _loop.RegisterIo(_fd, ReadHack, this);
    }

    /// <summary>The interest kept while nothing waits to be written.</summary>
    private IoEvents ReadHack => _readHack ? IoEvents.Readable : IoEvents.None;

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
        if (Closed || _writableWanted) return;
        WriteOut();
    }

    /// <inheritdoc />
    public void OnIoReady(IoEvents events)
    {
        if (Closed) return;
        if ((events & IoEvents.Writable) != 0)
        {
            WriteOut();
            if (Closed) return;
        }
        // Only an error or hang-up makes a pipe's write end "readable": the child closed its end.
        if ((events & (IoEvents.Error | IoEvents.HangUp)) != 0 || (_readHack && (events & IoEvents.Readable) != 0))
            Close(new Failure(new ConnectionLostException($"The child closed its end of descriptor {ChildFd}.")));
    }

    /// <inheritdoc />
    public void OnReactorShutdown() => Close(new Failure(new ConnectionLostException()));

    private void EnsureFlushScheduled()
    {
        if (_flushScheduled || _writableWanted || Closed) return;
        _flushScheduled = true;
        _loop.ScheduleFlush(this);
    }

    private void WriteOut()
    {
        var iov = stackalloc SocketNative.IoVec[IovPerWrite];
        while (_buffer.Count > 0)
        {
            int count = _buffer.Gather(iov, IovPerWrite, out long total, out _);
            nint sent = ProcessNative.WriteV(_fd, iov, count);
            if (sent < 0)
            {
                int errno = ProcessNative.LastError;
                if (errno == Errno.EINTR) continue;
                if (errno == Errno.EAGAIN) break;
                // EPIPE: the child closed its end; what is buffered can never be delivered.
                Close(new Failure(new ConnectionLostException($"Writing child descriptor {ChildFd} failed: {SocketNative.Describe(errno)}")));
                return;
            }
            _buffer.Consume(sent);
            if (sent < total) break;
        }
        SetWritableWanted(_buffer.Count > 0);
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
        if (!called && _buffer.Count == 0 && _closing && _producer.Producer is null) Close(Protocol.ConnectionDone);
    }

    private void SetWritableWanted(bool wanted)
    {
        if (_file)
        {
            // A file is never waited on: retry the rest on the next turn (a short write there means a full disk, whose
            // error the retry then reports).
            if (wanted) _loop.Post(static w => w.EnsureFlushScheduled(), this);
            return;
        }
        if (_writableWanted == wanted || Closed) return;
        _writableWanted = wanted;
        if (_registration is { IsRegistered: true } r) r.Interest = wanted ? ReadHack | IoEvents.Writable : ReadHack;
    }

    /// <summary>Closes now, discarding what is buffered, stops the producer and tells the owner (once).</summary>
    public void Close(Failure reason)
    {
        if (Closed) return;
        Closed = true;
        _registration?.Dispose();
        LibC.Close(_fd);
        _buffer.Clear();
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
