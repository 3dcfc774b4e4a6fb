namespace Twine.Native;

/// <summary>
/// Linux's errno values, the one list every native caller uses. The socket layer is Linux-only (its constants are
/// Linux's); the portable pieces (the poll backend, the wakers) use only <see cref="EINTR"/>, <see cref="EBADF"/> and
/// <see cref="ENOENT"/>, which every Unix numbers alike, and <see cref="WouldBlock"/>.
/// </summary>
internal static class Errno
{
    internal const int EPERM = 1;
    internal const int ENOENT = 2;
    internal const int EINTR = 4;
    internal const int EBADF = 9;
    internal const int EAGAIN = 11;
    internal const int ENOMEM = 12;
    internal const int EACCES = 13;
    internal const int EINVAL = 22;
    internal const int ENFILE = 23;
    internal const int EMFILE = 24;
    internal const int EPIPE = 32;
    internal const int EPROTO = 71;
    internal const int ENOTSOCK = 88;
    internal const int EMSGSIZE = 90;
    internal const int EOPNOTSUPP = 95;
    internal const int EAFNOSUPPORT = 97;
    internal const int EADDRINUSE = 98;
    internal const int EADDRNOTAVAIL = 99;
    internal const int ENETDOWN = 100;
    internal const int ENETUNREACH = 101;
    internal const int ECONNABORTED = 103;
    internal const int ECONNRESET = 104;
    internal const int ENOBUFS = 105;
    internal const int EISCONN = 106;
    internal const int ENOTCONN = 107;
    internal const int ETIMEDOUT = 110;
    internal const int ECONNREFUSED = 111;
    internal const int EHOSTDOWN = 112;
    internal const int EHOSTUNREACH = 113;
    internal const int EALREADY = 114;
    internal const int EINPROGRESS = 115;

    /// <summary>EAGAIN/EWOULDBLOCK where the code runs: 11 on Linux, 35 on macOS and the BSDs.</summary>
    internal static readonly int WouldBlock = OperatingSystem.IsLinux() ? EAGAIN : 35;
}
