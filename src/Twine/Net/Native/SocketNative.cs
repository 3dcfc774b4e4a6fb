using System.Runtime.InteropServices;

namespace Twine.Net.Native;

/// <summary>
/// The socket system calls Twine's transports make directly on the reactor thread: non-blocking sockets, readiness
/// from the reactor's own epoll/poll, no managed socket engine in between (and so no thread hop and no exception per
/// <c>EAGAIN</c>).
/// </summary>
/// <remarks>
/// <para>The constants are Linux's (glibc and musl agree; they are the same on every Linux architecture Twine runs
/// on). The BSDs and macOS number most of them differently and lack <c>accept4</c>/<c>SOCK_NONBLOCK</c>, so the
/// socket transports check <see cref="IsSupported"/> and refuse to start elsewhere rather than misbehave.</para>
/// <para>Every call sets the last P/Invoke error; read it with <see cref="Marshal.GetLastPInvokeError"/> right after
/// the call, before anything else can clobber <c>errno</c>.</para>
/// </remarks>
internal static unsafe partial class SocketNative
{
    private const string Lib = "libc";

    /// <summary>True where the constants below are right: Linux.</summary>
    internal static bool IsSupported => OperatingSystem.IsLinux();

    // Address families and socket types.
    internal const int AF_UNIX = 1;
    internal const int AF_INET = 2;
    internal const int AF_INET6 = 10;
    internal const int SOCK_STREAM = 1;
    internal const int SOCK_DGRAM = 2;
    internal const int SOCK_NONBLOCK = 0x800;
    internal const int SOCK_CLOEXEC = 0x80000;

    // Options.
    internal const int SOL_SOCKET = 1;
    internal const int SO_REUSEADDR = 2;
    internal const int SO_ERROR = 4;
    internal const int SO_BROADCAST = 6;
    internal const int SO_SNDBUF = 7;
    internal const int SO_RCVBUF = 8;
    internal const int SO_KEEPALIVE = 9;
    internal const int SO_LINGER = 13;
    internal const int SO_REUSEPORT = 15;
    internal const int SO_TYPE = 3;
    internal const int SO_ACCEPTCONN = 30;
    internal const int SO_DOMAIN = 39;
    internal const int IPPROTO_TCP = 6;
    internal const int TCP_NODELAY = 1;
    internal const int TCP_KEEPIDLE = 4;
    internal const int TCP_KEEPINTVL = 5;
    internal const int TCP_KEEPCNT = 6;
    internal const int IPPROTO_IPV6 = 41;
    internal const int IPV6_V6ONLY = 26;

    // shutdown(2) and send flags.
    internal const int SHUT_RD = 0;
    internal const int SHUT_WR = 1;
    internal const int SHUT_RDWR = 2;
    internal const int MSG_NOSIGNAL = 0x4000;
    internal const int MSG_MORE = 0x8000;

    /// <summary>The most iovecs one <c>sendmsg</c> takes (Linux's UIO_MAXIOV).</summary>
    internal const int IOV_MAX = 1024;

    /// <summary><c>struct iovec</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    /// <summary>
    /// <c>struct msghdr</c>. Sequential layout gives glibc's padding on 32- and 64-bit; musl's <c>int</c> + padding for
    /// the two lengths has the same bytes on little-endian machines.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary><c>struct linger</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Linger
    {
        public int OnOff;
        public int Seconds;
    }

    [LibraryImport(Lib, EntryPoint = "socket", SetLastError = true)]
    internal static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Lib, EntryPoint = "bind", SetLastError = true)]
    internal static partial int Bind(int fd, byte* address, int addressLength);

    [LibraryImport(Lib, EntryPoint = "listen", SetLastError = true)]
    internal static partial int Listen(int fd, int backlog);

    [LibraryImport(Lib, EntryPoint = "accept4", SetLastError = true)]
    internal static partial int Accept4(int fd, byte* address, int* addressLength, int flags);

    [LibraryImport(Lib, EntryPoint = "connect", SetLastError = true)]
    internal static partial int Connect(int fd, byte* address, int addressLength);

    [LibraryImport(Lib, EntryPoint = "recv", SetLastError = true)]
    internal static partial nint Recv(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport(Lib, EntryPoint = "recvfrom", SetLastError = true)]
    internal static partial nint RecvFrom(int fd, byte* buffer, nuint length, int flags, byte* address, int* addressLength);

    [LibraryImport(Lib, EntryPoint = "send", SetLastError = true)]
    internal static partial nint Send(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport(Lib, EntryPoint = "sendto", SetLastError = true)]
    internal static partial nint SendTo(int fd, byte* buffer, nuint length, int flags, byte* address, int addressLength);

    [LibraryImport(Lib, EntryPoint = "sendmsg", SetLastError = true)]
    internal static partial nint SendMsg(int fd, MsgHdr* message, int flags);

    [LibraryImport(Lib, EntryPoint = "recvmsg", SetLastError = true)]
    internal static partial nint RecvMsg(int fd, MsgHdr* message, int flags);

    // Descriptor passing (SCM_RIGHTS).
    internal const int SCM_RIGHTS = 1;
    internal const int MSG_CMSG_CLOEXEC = 0x40000000;

    /// <summary>Size of <c>struct cmsghdr</c> (a size_t length and two ints): the offset of the data.</summary>
    internal static readonly int CmsgHeaderSize = IntPtr.Size + 8;

    /// <summary><c>CMSG_SPACE(bytes)</c>: header plus data rounded up to the size_t alignment.</summary>
    internal static int CmsgSpace(int bytes) => CmsgHeaderSize + ((bytes + IntPtr.Size - 1) & ~(IntPtr.Size - 1));

    /// <summary><c>sendfile(2)</c> (64-bit <c>off_t</c>): file bytes to a socket inside the kernel.</summary>
    [LibraryImport(Lib, EntryPoint = "sendfile64", SetLastError = true)]
    internal static partial nint SendFile(int outFd, int inFd, long* offset, nuint count);

    [LibraryImport(Lib, EntryPoint = "shutdown", SetLastError = true)]
    internal static partial int Shutdown(int fd, int how);

    [LibraryImport(Lib, EntryPoint = "getsockopt", SetLastError = true)]
    internal static partial int GetSockOpt(int fd, int level, int name, void* value, int* length);

    [LibraryImport(Lib, EntryPoint = "setsockopt", SetLastError = true)]
    internal static partial int SetSockOpt(int fd, int level, int name, void* value, int length);

    [LibraryImport(Lib, EntryPoint = "getsockname", SetLastError = true)]
    internal static partial int GetSockName(int fd, byte* address, int* addressLength);

    [LibraryImport(Lib, EntryPoint = "getpeername", SetLastError = true)]
    internal static partial int GetPeerName(int fd, byte* address, int* addressLength);

    internal const int F_GETFL = 3;
    internal const int F_SETFL = 4;
    internal const int F_DUPFD_CLOEXEC = 1030;
    internal const int O_NONBLOCK = 0x800;

    // fcntl is variadic. On Linux (x64 and arm64, the only OS this class serves) a variadic int is passed as a fixed one,
    // so a fixed signature is sound here; it would not be on Apple's arm64 ABI (see LibC).
    [LibraryImport(Lib, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(int fd, int command, int argument);

    /// <summary>The calling thread's last P/Invoke error (<c>errno</c>).</summary>
    internal static int LastError => Marshal.GetLastPInvokeError();

    /// <summary>Sets an <c>int</c> option; returns 0 or the errno.</summary>
    internal static int SetIntOption(int fd, int level, int name, int value)
    {
        return SetSockOpt(fd, level, name, &value, sizeof(int)) == 0 ? 0 : LastError;
    }

    /// <summary>Reads an <c>int</c> option, or returns -errno.</summary>
    internal static int GetIntOption(int fd, int level, int name)
    {
        int value = 0, length = sizeof(int);
        return GetSockOpt(fd, level, name, &value, &length) == 0 ? value : -LastError;
    }

    /// <summary>Makes the next <c>close</c> reset the connection (RST) instead of closing it in order (FIN).</summary>
    internal static void SetAbortiveClose(int fd)
    {
        var linger = new Linger { OnOff = 1, Seconds = 0 };
        SetSockOpt(fd, SOL_SOCKET, SO_LINGER, &linger, sizeof(Linger));
    }

    /// <summary>The text of <paramref name="errno"/> with its number, e.g. "Connection refused (errno 111)".</summary>
    internal static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
}
