using Twine.Defer;
using Twine.Native;
using Twine.Net;
using Twine.Net.Native;
using Twine.Net.Sockets;
using Twine.Reactors.Io;

namespace Twine.Processes;

/// <summary>
/// The parent's writing end of one pipe on the native layer: what is buffered leaves in one <c>writev</c> per loop
/// iteration, and a full pipe turns on Writable interest. Buffering, flow control and closing are
/// <see cref="BufferedPipeWriter"/>'s. Loop thread only.
/// </summary>
/// <remarks>
/// The descriptor stays registered for Readable even though a pipe's write end is never readable: that keeps it in the
/// poll set, where the kernel reports an error on it as soon as the reader (the child) has gone, so the loss is noticed
/// without anything to write (Twisted's "read hack" on <c>ProcessWriter</c>). Only on a pipe: StandardIO's stdout may be
/// a socket or a terminal, where readable means input from the other side, so only an error or hang-up counts there. A regular file is not
/// polled at all (epoll refuses it, and a write to it never waits): what a short write leaves is retried next turn.
/// </remarks>
internal sealed unsafe class PipeWriter : BufferedPipeWriter, IIoHandler
{
    private const int IovPerWrite = 64;

    private readonly int _fd;
    private IoRegistration? _registration;
    private bool _writableWanted;
    private bool _file;
    private bool _readHack;

    public PipeWriter(IIoLoop loop, int fd, int childFd, IPipeOwner owner) : base(loop, childFd, owner) => _fd = fd;

    /// <inheritdoc />
    private protected override bool Busy => _writableWanted;

    public void Start()
    {
        _file = ProcessNative.IsFileLike(_fd);
        _readHack = !_file && ProcessNative.IsPipe(_fd);
        if (!_file) _registration = _loop.RegisterIo(_fd, ReadHack, this);
    }

    /// <summary>The interest kept while nothing waits to be written.</summary>
    private IoEvents ReadHack => _readHack ? IoEvents.Readable : IoEvents.None;

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

    private protected override void WriteOut()
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
        AfterWrite();
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

    /// <inheritdoc />
    private protected override void Release()
    {
        _registration?.Dispose();
        LibC.Close(_fd);
        _buffer.Clear();
    }
}
