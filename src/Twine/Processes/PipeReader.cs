using Twine.Defer;
using Twine.Native;
using Twine.Net;
using Twine.Net.Native;
using Twine.Reactors.Io;

namespace Twine.Processes;

/// <summary>
/// The parent's reading end of one pipe: reads on readiness into the loop's shared buffer and hands the bytes to its
/// owner; pausing takes the descriptor out of the poll set, so the writer blocks on a full pipe. Loop thread only.
/// </summary>
/// <remarks>
/// A regular file (StandardIO's stdin redirected from a file) cannot be polled and is always readable: it is read once
/// per loop iteration while not paused, through the loop's post queue, so a large file does not starve the loop.
/// </remarks>
internal sealed unsafe class PipeReader : IIoHandler, IPipeReader
{
    private readonly IIoLoop _loop;
    private readonly int _fd;
    private readonly IPipeOwner _owner;
    private static readonly Action<PipeReader> s_readFile = static r => r.ReadFileTurn();

    private IoRegistration? _registration;
    private bool _paused;
    private bool _file;
    private bool _fileReadPosted;

    public PipeReader(IIoLoop loop, int fd, int childFd, IPipeOwner owner)
    {
        _loop = loop;
        _fd = fd;
        ChildFd = childFd;
        _owner = owner;
    }

    /// <summary>The child's descriptor number this pipe serves.</summary>
    public int ChildFd { get; }

    /// <summary>True once closed.</summary>
    public bool Closed { get; private set; }

    /// <summary>Registers for reading (paused if the owner was paused before the pipe started).</summary>
    public void Start(bool paused)
    {
        _paused = paused;
        _file = ProcessNative.IsFileLike(_fd);
        if (_file) PostFileRead();
        else _registration = _loop.RegisterIo(_fd, paused ? IoEvents.None : IoEvents.Readable, this);
    }

    public void Pause()
    {
        _paused = true;
        if (_registration is { IsRegistered: true } r) r.Interest = IoEvents.None;
    }

    public void Resume()
    {
        _paused = false;
        if (_file) PostFileRead();
        else if (_registration is { IsRegistered: true } r) r.Interest = IoEvents.Readable;
    }

    private void PostFileRead()
    {
        if (_fileReadPosted || _paused || Closed) return;
        _fileReadPosted = true;
        _loop.Post(s_readFile, this);
    }

    private void ReadFileTurn()
    {
        _fileReadPosted = false;
        OnIoReady(IoEvents.Readable);
        PostFileRead();
    }

    /// <inheritdoc />
    public void OnIoReady(IoEvents events)
    {
        if (Closed || _paused) return;
        var buffer = _loop.ReadBuffer;
        nint n;
        fixed (byte* p = buffer) n = LibC.Read(_fd, p, (nuint)buffer.Length);
        if (n > 0)
        {
            try
            {
                _owner.PipeData(ChildFd, new ReadOnlySpan<byte>(buffer, 0, (int)n));
            }
            catch (Exception ex)
            {
                _owner.ProtocolFailed("ChildDataReceived", ex);
            }
            return;
        }
        if (n == 0)
        {
            Close(Protocol.ConnectionDone);
            return;
        }
        int errno = SocketNative.LastError;
        if (errno is Errno.EAGAIN or Errno.EINTR) return;
        Close(new Failure(new ConnectionLostException($"Reading child descriptor {ChildFd} failed: {SocketNative.Describe(errno)}")));
    }

    /// <inheritdoc />
    public void OnReactorShutdown() => Close(new Failure(new ConnectionLostException()));

    /// <summary>Closes the pipe now and tells the owner (once).</summary>
    public void Close(Failure reason)
    {
        if (Closed) return;
        Closed = true;
        _registration?.Dispose();
        LibC.Close(_fd);
        _owner.PipeClosed(ChildFd, reason);
    }
}
