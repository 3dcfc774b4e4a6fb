using System.Runtime.InteropServices;

namespace Twine.Native;

/// <summary>
/// Keeps the top of the process's descriptor table for the .NET runtime. The runtime opens descriptors of its own
/// at unpredictable moments (a pipe when the tiered JIT starts a thread, a file when an assembly loads for a stack
/// trace); if connections have taken every descriptor, that fails inside the runtime and the process aborts, taking
/// every connection with it. So the socket layer treats a new descriptor that lands in the reserve as a failure
/// (EMFILE) and closes it at once: a listening port pauses accepting, a connect fails, and the runtime still has
/// room.
/// </summary>
/// <remarks>
/// The check is one comparison: POSIX gives a new descriptor the lowest free number, so a descriptor numbered at or
/// above <see cref="Threshold"/> means every lower number is in use and fewer than <see cref="Size"/> remain.
/// </remarks>
internal static unsafe partial class DescriptorReserve
{
    private const int RLIMIT_NOFILE_LINUX = 7;
    private const int RLIMIT_NOFILE_BSD = 8;

    private static int s_limit;
    private static int s_threshold;

    static DescriptorReserve() => Refresh();

    /// <summary>The soft limit on open descriptors (RLIMIT_NOFILE), as last read.</summary>
    internal static int Limit => s_limit;

    /// <summary>How many descriptors are kept for the runtime: an eighth of the limit, at least 48 and at most 512.</summary>
    internal static int Size => s_limit - s_threshold;

    /// <summary>The lowest descriptor number that falls in the reserve.</summary>
    internal static int Threshold => s_threshold;

    /// <summary>True when <paramref name="fd"/>, just created, is in the reserve: close it and report EMFILE.</summary>
    internal static bool Holds(int fd) => fd >= s_threshold;

    /// <summary>Re-reads the limit (a program may raise it with setrlimit after start-up).</summary>
    internal static void Refresh()
    {
        RLimit limit;
        int resource = OperatingSystem.IsLinux() ? RLIMIT_NOFILE_LINUX : RLIMIT_NOFILE_BSD;
        // Unknown or unlimited: treat as the largest descriptor number an int holds, with the largest reserve.
        long soft = GetRLimit(resource, &limit) == 0 && limit.Current < int.MaxValue ? (long)limit.Current : int.MaxValue;
        int reserve = (int)Math.Clamp(soft / 8, 48, 512);
        s_limit = (int)soft;
        s_threshold = (int)Math.Max(soft - reserve, 3);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, RLimit* limit);
}
