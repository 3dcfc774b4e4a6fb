using System.Runtime.InteropServices;

namespace Twine.Native;

/// <summary>
/// The few libc calls the reactor's backends need. "libc" resolves to glibc/musl on Linux and to libSystem on
/// macOS/BSD; the Linux-only calls (epoll, eventfd) are only reached through the epoll backend.
/// </summary>
/// <remarks>
/// Every call sets the last P/Invoke error, read with <see cref="Marshal.GetLastPInvokeError"/>: reading
/// <c>errno</c> any other way can see a value clobbered by the runtime between the call and the read.
/// </remarks>
internal static unsafe partial class LibC
{
    private const string Lib = "libc";

    // pipe2 flags (Linux)
    internal const int O_NONBLOCK_LINUX = 0x800;
    internal const int O_CLOEXEC_LINUX = 0x80000;

    // epoll (Linux)
    internal const int EPOLL_CLOEXEC = 0x80000;
    internal const int EPOLL_CTL_ADD = 1;
    internal const int EPOLL_CTL_DEL = 2;
    internal const int EPOLL_CTL_MOD = 3;
    internal const uint EPOLLIN = 0x001;
    internal const uint EPOLLOUT = 0x004;
    internal const uint EPOLLERR = 0x008;
    internal const uint EPOLLHUP = 0x010;

    // eventfd (Linux)
    internal const int EFD_CLOEXEC = 0x80000;
    internal const int EFD_NONBLOCK = 0x800;

    // poll (POSIX; the same values on Linux and the BSDs)
    internal const short POLLIN = 0x001;
    internal const short POLLOUT = 0x004;
    internal const short POLLERR = 0x008;
    internal const short POLLHUP = 0x010;
    internal const short POLLNVAL = 0x020;

    // sockets (tests use socketpair; AF_UNIX is 1 everywhere, SOCK_STREAM 1 on Linux and the BSDs)
    internal const int AF_UNIX = 1;
    internal const int SOCK_STREAM = 1;

    /// <summary>
    /// <c>struct epoll_event</c> is packed on x86-64 (12 bytes: events at 0, data at 4) and naturally aligned
    /// elsewhere (16 bytes: data at 8). The layout is chosen at run time rather than with two struct definitions.
    /// </summary>
    internal static readonly int EpollEventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    /// <summary>Offset of <c>epoll_data_t</c> inside <c>struct epoll_event</c>.</summary>
    internal static readonly int EpollDataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    /// <summary><c>struct pollfd</c>: identical on every Unix.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short REvents;
    }

    [LibraryImport(Lib, EntryPoint = "epoll_create1", SetLastError = true)]
    internal static partial int EpollCreate1(int flags);

    [LibraryImport(Lib, EntryPoint = "epoll_ctl", SetLastError = true)]
    internal static partial int EpollCtl(int epfd, int op, int fd, byte* ev);

    [LibraryImport(Lib, EntryPoint = "epoll_wait", SetLastError = true)]
    internal static partial int EpollWait(int epfd, byte* events, int maxEvents, int timeoutMs);

    [LibraryImport(Lib, EntryPoint = "eventfd", SetLastError = true)]
    internal static partial int EventFd(uint initval, int flags);

    [LibraryImport(Lib, EntryPoint = "poll", SetLastError = true)]
    internal static partial int Poll(PollFd* fds, nuint nfds, int timeoutMs);

    [LibraryImport(Lib, EntryPoint = "pipe", SetLastError = true)]
    internal static partial int Pipe(int* fds);

    [LibraryImport(Lib, EntryPoint = "socketpair", SetLastError = true)]
    internal static partial int SocketPair(int domain, int type, int protocol, int* fds);

    // fcntl is deliberately absent: it is variadic, and Apple's arm64 ABI passes variadic arguments on the stack, so a
    // fixed-signature P/Invoke would hand it garbage. pipe2 sets the flags atomically where it exists.
    [LibraryImport(Lib, EntryPoint = "pipe2", SetLastError = true)]
    internal static partial int Pipe2(int* fds, int flags);

    [LibraryImport(Lib, EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport(Lib, EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport(Lib, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    /// <summary>Throws the current P/Invoke error as an exception naming the failed call.</summary>
    internal static Exception Error(string call)
    {
        int errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})", errno);
    }
}
