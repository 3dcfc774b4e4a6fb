using Twine.Native;
using System.Runtime.InteropServices;

namespace Twine.Reactors.Io;

/// <summary>
/// The Linux backend: one epoll instance waited on by the reactor thread itself (no extra thread hop per event), woken
/// by an eventfd.
/// </summary>
/// <remarks>
/// <para><b>Level-triggered</b>, deliberately. Edge-triggered epoll saves a few <c>epoll_ctl</c> calls but obliges
/// every handler to read until EAGAIN (or remember that it did not), and one greedy connection can then starve the
/// rest. Level-triggered lets a transport read one buffer per iteration and be called again, and toggling
/// <c>EPOLLOUT</c> only while a send buffer is full keeps the extra system calls rare.</para>
/// <para>The 64-bit <c>epoll_data</c> carries the registration token, so a readiness report costs no lookup beyond
/// the table's array index.</para>
/// </remarks>
internal sealed unsafe class EpollBackend : IPollBackend
{
    /// <summary>Events fetched per <c>epoll_wait</c>; more ready descriptors are simply reported by the next call.</summary>
    private const int MaxEvents = 1024;

    /// <summary>The waker's token: no registration token has all 64 bits set (generations are 32-bit, fds are non-negative).</summary>
    private const ulong WakerToken = ulong.MaxValue;

    private readonly int _epfd;
    private readonly EventFdWaker _waker;
    private readonly byte* _events;
    private bool _disposed;

    public EpollBackend()
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("epoll is only available on Linux.");
        _epfd = LibC.EpollCreate1(LibC.EPOLL_CLOEXEC);
        if (_epfd < 0) throw LibC.Error("epoll_create1");
        try
        {
            _waker = new EventFdWaker();
            _events = (byte*)NativeMemory.Alloc((nuint)(MaxEvents * LibC.EpollEventSize));
            Control(LibC.EPOLL_CTL_ADD, _waker.PollFd, LibC.EPOLLIN, WakerToken);
        }
        catch
        {
            LibC.Close(_epfd);
            _waker?.Dispose();
            if (_events != null) NativeMemory.Free(_events);
            throw;
        }
    }

    /// <inheritdoc />
    public string Name => "epoll";

    /// <inheritdoc />
    public void Add(int fd, IoEvents interest, ulong token) => Control(LibC.EPOLL_CTL_ADD, fd, ToEpoll(interest), token);

    /// <inheritdoc />
    public void Modify(int fd, IoEvents interest, ulong token) => Control(LibC.EPOLL_CTL_MOD, fd, ToEpoll(interest), token);

    /// <inheritdoc />
    public void Remove(int fd)
    {
        // Linux before 2.6.9 insisted on a non-null event pointer even for DEL.
        byte* ev = stackalloc byte[16];
        if (LibC.EpollCtl(_epfd, LibC.EPOLL_CTL_DEL, fd, ev) < 0)
        {
            // Closed before being removed: closing already took it out of the set (as poll's backend, which has no
            // kernel state, would not notice either). The table still refuses to register a reused number twice.
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EBADF && errno != Errno.ENOENT) throw LibC.Error($"epoll_ctl(DEL, {fd})");
        }
    }

    /// <inheritdoc />
    public int Poll(int timeoutMs, IIoDispatcher dispatcher)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int n = LibC.EpollWait(_epfd, _events, MaxEvents, timeoutMs);
        if (n < 0)
        {
            // A signal delivered to this thread; the loop recomputes its timeout and waits again.
            if (Marshal.GetLastPInvokeError() == Errno.EINTR) return 0;
            throw LibC.Error("epoll_wait");
        }
        int reported = 0;
        int size = LibC.EpollEventSize, dataOffset = LibC.EpollDataOffset;
        for (int i = 0; i < n; i++)
        {
            byte* ev = _events + i * size;
            uint flags = *(uint*)ev;
            ulong token = Unaligned<ulong>(ev + dataOffset);
            if (token == WakerToken)
            {
                _waker.Drain();
                continue;
            }
            dispatcher.Dispatch(token, FromEpoll(flags));
            reported++;
        }
        return reported;
    }

    /// <inheritdoc />
    public void Wake() => _waker.Wake();

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _waker.Dispose();
        LibC.Close(_epfd);
        NativeMemory.Free(_events);
    }

    private void Control(int op, int fd, uint events, ulong token)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        byte* ev = stackalloc byte[16];
        *(uint*)ev = events;
        System.Runtime.CompilerServices.Unsafe.WriteUnaligned(ev + LibC.EpollDataOffset, token);
        if (LibC.EpollCtl(_epfd, op, fd, ev) < 0)
            throw LibC.Error($"epoll_ctl({(op == LibC.EPOLL_CTL_ADD ? "ADD" : "MOD")}, {fd})");
    }

    private static T Unaligned<T>(byte* p) where T : unmanaged => System.Runtime.CompilerServices.Unsafe.ReadUnaligned<T>(p);

    private static uint ToEpoll(IoEvents interest)
    {
        uint events = 0;
        if ((interest & IoEvents.Readable) != 0) events |= LibC.EPOLLIN;
        if ((interest & IoEvents.Writable) != 0) events |= LibC.EPOLLOUT;
        return events;
    }

    private static IoEvents FromEpoll(uint flags)
    {
        var events = IoEvents.None;
        if ((flags & LibC.EPOLLIN) != 0) events |= IoEvents.Readable;
        if ((flags & LibC.EPOLLOUT) != 0) events |= IoEvents.Writable;
        if ((flags & LibC.EPOLLERR) != 0) events |= IoEvents.Error;
        if ((flags & LibC.EPOLLHUP) != 0) events |= IoEvents.HangUp;
        return events;
    }
}
