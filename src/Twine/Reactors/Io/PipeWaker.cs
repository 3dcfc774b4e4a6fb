using Twine.Native;
namespace Twine.Reactors.Io;

/// <summary>
/// A <see cref="Waker"/> on a pipe: the portable self-pipe trick, for Unixes without eventfd.
/// </summary>
/// <remarks>
/// On Linux the pipe is non-blocking and close-on-exec (pipe2). Elsewhere it is a plain <c>pipe()</c>: setting flags
/// would need the variadic <c>fcntl</c>, which cannot be P/Invoked safely on every ABI. Blocking ends are safe here:
/// coalescing keeps at most a few bytes in the pipe, far below its capacity, so <c>write</c> never blocks, and
/// <see cref="Consume"/> reads only after poll reported the read end readable.
/// </remarks>
internal sealed unsafe class PipeWaker : Waker
{
    private readonly FileDescriptor _read;
    private readonly FileDescriptor _write;

    public PipeWaker()
    {
        int* fds = stackalloc int[2];
        int rc = OperatingSystem.IsLinux()
            ? LibC.Pipe2(fds, LibC.O_NONBLOCK_LINUX | LibC.O_CLOEXEC_LINUX)
            : LibC.Pipe(fds);
        if (rc < 0) throw LibC.Error("pipe");
        _read = new FileDescriptor(fds[0]);
        _write = new FileDescriptor(fds[1]);
    }

    /// <inheritdoc />
    public override int PollFd => _read.Fd;

    /// <inheritdoc />
    protected override void Signal()
    {
        bool added = false;
        _write.DangerousAddRef(ref added);
        try
        {
            byte one = 1;
            LibC.Write(_write.Fd, &one, 1);
        }
        finally
        {
            if (added) _write.DangerousRelease();
        }
    }

    /// <inheritdoc />
    protected override void Consume()
    {
        // One read empties it: at most a handful of bytes are ever pending.
        byte* buffer = stackalloc byte[64];
        LibC.Read(_read.Fd, buffer, 64);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _write.Dispose();
        _read.Dispose();
    }
}
