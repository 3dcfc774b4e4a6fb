using System.Runtime.InteropServices;
using Twine.Net.Native;

namespace Twine.Processes;

/// <summary>
/// The libc calls child processes need: <c>posix_spawn</c> and its attribute and file-action builders, <c>pidfd_open</c>,
/// <c>waitpid</c>, <c>kill</c>, <c>writev</c> and <c>fcntl</c>. Linux (glibc or musl) only: the constants are Linux's.
/// </summary>
/// <remarks>
/// <c>fcntl</c> is variadic. On every Linux ABI Twine runs on (x86-64, arm64) a variadic <c>int</c> travels in the same
/// register as a named one, so a fixed three-<c>int</c> signature is sound here; it would not be on Apple's arm64, which
/// is one reason the process layer refuses to run outside Linux.
/// </remarks>
internal static unsafe partial class ProcessNative
{
    private const string Lib = "libc";

    internal const int F_GETFL = 3;
    internal const int F_SETFL = 4;
    internal const int O_NONBLOCK = 0x800;
    internal const int O_CLOEXEC = 0x80000;
    internal const int WNOHANG = 1;
    internal const int ECHILD = 10;
    internal const int ENOSYS = 38;
    internal const int ESRCH = 3;
    internal const short POSIX_SPAWN_SETSIGDEF = 0x04;
    internal const short POSIX_SPAWN_SETSIGMASK = 0x08;

    /// <summary>Bytes reserved for a <c>posix_spawn_file_actions_t</c> (80 on glibc x86-64/arm64; room to spare).</summary>
    internal const int FileActionsSize = 256;

    /// <summary>Bytes reserved for a <c>posix_spawnattr_t</c> (336 on glibc; room to spare).</summary>
    internal const int SpawnAttrSize = 1024;

    /// <summary>Bytes reserved for a <c>sigset_t</c> (128 on glibc).</summary>
    internal const int SigSetSize = 128;

    [LibraryImport(Lib, EntryPoint = "posix_spawn")]
    internal static partial int PosixSpawn(int* pid, byte* path, void* fileActions, void* attr, byte** argv, byte** envp);

    [LibraryImport(Lib, EntryPoint = "posix_spawn_file_actions_init")]
    internal static partial int FileActionsInit(void* actions);

    [LibraryImport(Lib, EntryPoint = "posix_spawn_file_actions_destroy")]
    internal static partial int FileActionsDestroy(void* actions);

    [LibraryImport(Lib, EntryPoint = "posix_spawn_file_actions_adddup2")]
    internal static partial int FileActionsAddDup2(void* actions, int fd, int newFd);

    [LibraryImport(Lib, EntryPoint = "posix_spawn_file_actions_addclose")]
    internal static partial int FileActionsAddClose(void* actions, int fd);

    [LibraryImport(Lib, EntryPoint = "posix_spawn_file_actions_addclosefrom_np")]
    internal static partial int FileActionsAddCloseFrom(void* actions, int from);

    [LibraryImport(Lib, EntryPoint = "posix_spawn_file_actions_addchdir_np", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int FileActionsAddChdir(void* actions, string path);

    [LibraryImport(Lib, EntryPoint = "posix_spawnattr_init")]
    internal static partial int AttrInit(void* attr);

    [LibraryImport(Lib, EntryPoint = "posix_spawnattr_destroy")]
    internal static partial int AttrDestroy(void* attr);

    [LibraryImport(Lib, EntryPoint = "posix_spawnattr_setflags")]
    internal static partial int AttrSetFlags(void* attr, short flags);

    [LibraryImport(Lib, EntryPoint = "posix_spawnattr_setsigmask")]
    internal static partial int AttrSetSigMask(void* attr, void* sigset);

    [LibraryImport(Lib, EntryPoint = "posix_spawnattr_setsigdefault")]
    internal static partial int AttrSetSigDefault(void* attr, void* sigset);

    [LibraryImport(Lib, EntryPoint = "sigemptyset")]
    internal static partial int SigEmptySet(void* set);

    [LibraryImport(Lib, EntryPoint = "sigfillset")]
    internal static partial int SigFillSet(void* set);

    [LibraryImport(Lib, EntryPoint = "pidfd_open", SetLastError = true)]
    internal static partial int PidFdOpen(int pid, uint flags);

    [LibraryImport(Lib, EntryPoint = "waitpid", SetLastError = true)]
    internal static partial int WaitPid(int pid, int* status, int options);

    [LibraryImport(Lib, EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);

    [LibraryImport(Lib, EntryPoint = "sigaction", SetLastError = true)]
    internal static partial int SigAction(int signal, void* action, void* oldAction);

    [LibraryImport(Lib, EntryPoint = "lseek", SetLastError = true)]
    internal static partial long LSeek(int fd, long offset, int whence);

    [LibraryImport(Lib, EntryPoint = "writev", SetLastError = true)]
    internal static partial nint WriteV(int fd, SocketNative.IoVec* iov, int count);

    [LibraryImport(Lib, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(int fd, int command, int argument);

    /// <summary>The calling thread's last P/Invoke error (<c>errno</c>).</summary>
    internal static int LastError => Marshal.GetLastPInvokeError();

    /// <summary>Sets O_NONBLOCK on <paramref name="fd"/>'s open file description; throws on failure.</summary>
    internal static void SetNonBlocking(int fd)
    {
        int flags = Fcntl(fd, F_GETFL, 0);
        if (flags < 0 || Fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
            throw new IOException($"fcntl(O_NONBLOCK) on descriptor {fd} failed: {SocketNative.Describe(LastError)}", LastError);
    }

    /// <summary>
    /// True for a descriptor that can seek: a regular file (or a block device, or /dev/null). Such a descriptor is
    /// always "ready" and epoll refuses it, so its pipe end reads and writes on every turn instead of on readiness, as
    /// Twisted's reactors do with their continuous polling of files. Pipes, sockets and terminals cannot seek (ESPIPE).
    /// </summary>
    internal static bool IsFileLike(int fd) => LSeek(fd, 0, 1 /* SEEK_CUR */) >= 0;

    /// <summary>
    /// True for a pipe (or FIFO): its write end polls readable only when the reader has gone. On a socket or a terminal
    /// used for output, readable means input from the other side instead.
    /// </summary>
    internal static bool IsPipe(int fd) =>
        !IsFileLike(fd) && IsATty(fd) == 0 && SocketNative.GetIntOption(fd, SocketNative.SOL_SOCKET, SocketNative.SO_TYPE) < 0;

    [LibraryImport(Lib, EntryPoint = "isatty")]
    internal static partial int IsATty(int fd);

    /// <summary>Decodes a <c>waitpid</c> status: the exit code if the child exited, else the signal that killed it.</summary>
    internal static (int? ExitCode, int? Signal) DecodeStatus(int status)
    {
        int low = status & 0x7F;
        if (low == 0) return ((status >> 8) & 0xFF, null);
        return (null, low);
    }
}
