using Twine.Native;
namespace Twine.Reactors.Io;

/// <summary>A <see cref="Waker"/> on a Linux eventfd: one descriptor, and a counter that never fills.</summary>
internal sealed unsafe class EventFdWaker : Waker
{
    private readonly FileDescriptor _fd;

    public EventFdWaker()
    {
        int fd = LibC.EventFd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        if (fd < 0) throw LibC.Error("eventfd");
        _fd = new FileDescriptor(fd);
    }

    /// <inheritdoc />
    public override int PollFd => _fd.Fd;

    /// <inheritdoc />
    protected override void Signal()
    {
        bool added = false;
        _fd.DangerousAddRef(ref added);
        try
        {
            ulong one = 1;
            // Can only fail with EAGAIN at a counter of 2^64-2: impossible with coalesced wakes.
            LibC.Write(_fd.Fd, (byte*)&one, sizeof(ulong));
        }
        finally
        {
            if (added) _fd.DangerousRelease();
        }
    }

    /// <inheritdoc />
    protected override void Consume()
    {
        ulong value;
        // Non-blocking: EAGAIN (already drained) is fine.
        LibC.Read(_fd.Fd, (byte*)&value, sizeof(ulong));
    }

    /// <inheritdoc />
    public override void Dispose() => _fd.Dispose();
}
