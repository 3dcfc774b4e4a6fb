using System.Runtime.InteropServices;
using System.Text;
using Twine.Native;
using Twine.Net.Native;

namespace Twine.Processes;

/// <summary>
/// Starts a program with <c>posix_spawn</c>: never a managed <c>fork</c>, which would copy a multi-threaded runtime into
/// a child where only the forking thread exists. glibc's posix_spawn uses <c>clone(CLONE_VM|CLONE_VFORK)</c>, so
/// starting a child costs about as much as its <c>exec</c>, whatever the size of this process.
/// </summary>
/// <remarks>
/// <para><b>Signals.</b> The runtime ignores SIGPIPE and blocks some signals on its threads; ignored and blocked
/// signals survive <c>exec</c>. The child gets every signal back to its default and an empty mask
/// (<c>POSIX_SPAWN_SETSIGDEF</c> over a full set, <c>POSIX_SPAWN_SETSIGMASK</c> with an empty one), as it would from a
/// shell.</para>
/// <para><b>Descriptors.</b> Each child descriptor is first copied to a number above every source and target, then
/// from there to its target, so a source that happens to equal another mapping's target is never overwritten (the
/// problem Twisted's <c>_setupChild</c> solves with its renumbering loop). Then everything above the highest target is
/// closed (<c>closefrom</c>), and so are the unmapped numbers below it: the child holds exactly the descriptors it was
/// given.</para>
/// </remarks>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static unsafe class Spawner
{
    /// <summary>Spawns and returns the pid; throws a specific exception if the program cannot be started.</summary>
    public static int Spawn(string path, IReadOnlyList<string> argv, IReadOnlyList<string> envp, string? workingDirectory,
        IReadOnlyList<(int Target, int Source)> map)
    {
        var actions = NativeMemory.AllocZeroed(ProcessNative.FileActionsSize);
        var attr = NativeMemory.AllocZeroed(ProcessNative.SpawnAttrSize);
        var sigs = stackalloc byte[ProcessNative.SigSetSize * 2];
        byte** nativeArgv = null, nativeEnvp = null;
        ProcessNative.FileActionsInit(actions);
        ProcessNative.AttrInit(attr);
        try
        {
            ProcessNative.SigFillSet(sigs);
            ProcessNative.SigEmptySet(sigs + ProcessNative.SigSetSize);
            Check(path, ProcessNative.AttrSetSigDefault(attr, sigs));
            Check(path, ProcessNative.AttrSetSigMask(attr, sigs + ProcessNative.SigSetSize));
            Check(path, ProcessNative.AttrSetFlags(attr, ProcessNative.POSIX_SPAWN_SETSIGDEF | ProcessNative.POSIX_SPAWN_SETSIGMASK));
            AddDescriptorActions(path, actions, map);
            if (workingDirectory is not null) Check(path, ProcessNative.FileActionsAddChdir(actions, workingDirectory));

            nativeArgv = ToNative(argv);
            nativeEnvp = ToNative(envp);
            int pid;
            int error;
            byte[] pathBytes = Encoding.UTF8.GetBytes(path + "\0");
            fixed (byte* p = pathBytes) error = ProcessNative.PosixSpawn(&pid, p, actions, attr, nativeArgv, nativeEnvp);
            if (error != 0) throw SpawnError(path, error);
            return pid;
        }
        finally
        {
            ProcessNative.FileActionsDestroy(actions);
            ProcessNative.AttrDestroy(attr);
            NativeMemory.Free(actions);
            NativeMemory.Free(attr);
            FreeNative(nativeArgv);
            FreeNative(nativeEnvp);
        }
    }

    private static void AddDescriptorActions(string path, void* actions, IReadOnlyList<(int Target, int Source)> map)
    {
        int highestTarget = -1, highest = -1;
        foreach (var (target, source) in map)
        {
            highestTarget = Math.Max(highestTarget, target);
            highest = Math.Max(highest, Math.Max(target, source));
        }
        int scratch = highest + 1;
        for (int i = 0; i < map.Count; i++) Check(path, ProcessNative.FileActionsAddDup2(actions, map[i].Source, scratch + i));
        for (int i = 0; i < map.Count; i++) Check(path, ProcessNative.FileActionsAddDup2(actions, scratch + i, map[i].Target));
        for (int fd = 0; fd < highestTarget; fd++)
        {
            bool mapped = false;
            foreach (var (target, _) in map) mapped |= target == fd;
            // Closing a number that is not open is not an error for glibc's posix_spawn.
            if (!mapped) Check(path, ProcessNative.FileActionsAddClose(actions, fd));
        }
        Check(path, ProcessNative.FileActionsAddCloseFrom(actions, highestTarget + 1));
    }

    private static void Check(string path, int error)
    {
        if (error != 0) throw SpawnError(path, error);
    }

    private static Exception SpawnError(string path, int error) => error switch
    {
        Errno.ENOENT => new FileNotFoundException($"Cannot start {path}: no such file or directory.", path),
        Errno.EACCES => new UnauthorizedAccessException($"Cannot start {path}: permission denied (not executable, or a directory on the way is not searchable)."),
        _ => new ProcessSpawnException(path, error, SocketNative.Describe(error)),
    };

    private static byte** ToNative(IReadOnlyList<string> strings)
    {
        var array = (byte**)NativeMemory.AllocZeroed((nuint)(strings.Count + 1), (nuint)sizeof(byte*));
        for (int i = 0; i < strings.Count; i++) array[i] = (byte*)Marshal.StringToCoTaskMemUTF8(strings[i]);
        return array;
    }

    private static void FreeNative(byte** array)
    {
        if (array is null) return;
        for (int i = 0; array[i] is not null; i++) Marshal.FreeCoTaskMem((nint)array[i]);
        NativeMemory.Free(array);
    }

    /// <summary>
    /// Finds the program: a name with a '/' is used as is; anything else is looked up on <paramref name="searchPath"/>.
    /// Checked here so a missing program fails at spawn time with a clear message, as Twisted's does.
    /// </summary>
    public static string Resolve(string executable, string? searchPath)
    {
        if (executable.Contains('/'))
        {
            if (!File.Exists(executable))
                throw new FileNotFoundException(Directory.Exists(executable)
                    ? $"Cannot start {executable}: it is a directory."
                    : $"Cannot start {executable}: no such file.", executable);
            if (!IsExecutable(executable))
                throw new UnauthorizedAccessException($"Cannot start {executable}: the file is not executable.");
            return executable;
        }
        foreach (var dir in (searchPath ?? "").Split(':'))
        {
            string candidate = Path.Combine(dir.Length == 0 ? "." : dir, executable);
            if (File.Exists(candidate) && IsExecutable(candidate)) return candidate;
        }
        throw new FileNotFoundException($"Cannot start {executable}: not found on the PATH ({searchPath}).", executable);
    }

    private static bool IsExecutable(string path) =>
        (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
