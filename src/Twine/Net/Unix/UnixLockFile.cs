using System.Diagnostics;

namespace Twine.Net.Unix;

/// <summary>
/// A lock held as a symbolic link whose target is the owner's process id, after Twisted's <c>FilesystemLock</c>: the
/// link is created atomically, and a link whose process has died is stale and may be taken over.
/// </summary>
/// <remarks>
/// A Unix server with <c>wantPid</c> keeps <c>path.lock</c> beside its socket, so a second server refuses to start
/// while the first lives, a crashed server's leftover socket file can be removed safely, and a client with
/// <c>checkPid</c> can fail fast instead of connecting to a socket nobody serves.
/// </remarks>
internal sealed class UnixLockFile
{
    private readonly string _name;

    public UnixLockFile(string name) => _name = name;

    /// <summary>True while this object holds the lock.</summary>
    public bool Locked { get; private set; }

    /// <summary>False when taking the lock meant removing a stale one: the previous owner died without cleaning up.</summary>
    public bool Clean { get; private set; } = true;

    /// <summary>Takes the lock; false if a live process holds it (or it is not a lock link at all).</summary>
    public bool TryLock()
    {
        bool clean = true;
        // Two rounds: one may find a stale lock and remove it, the next takes it. A third would mean another process
        // is racing for the same lock, which then rightly wins.
        for (int round = 0; round < 2; round++)
        {
            try
            {
                File.CreateSymbolicLink(_name, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Locked = true;
                Clean = clean;
                return true;
            }
            catch (IOException)
            {
                if (ReadOwner(_name) is not { } owner) return false;
                if (IsAlive(owner)) return false;
                clean = false;
                try
                {
                    File.Delete(_name);
                }
                catch (IOException)
                {
                    return false;
                }
            }
        }
        return false;
    }

    /// <summary>Releases the lock if this object holds it.</summary>
    public void Unlock()
    {
        if (!Locked) return;
        Locked = false;
        if (ReadOwner(_name) == Environment.ProcessId) File.Delete(_name);
    }

    /// <summary>True if <paramref name="name"/> is a lock held by a live process (Twisted's <c>isLocked</c>).</summary>
    public static bool IsLocked(string name) => ReadOwner(name) is { } owner && IsAlive(owner);

    private static int? ReadOwner(string name)
    {
        try
        {
            var target = new FileInfo(name).LinkTarget;
            return int.TryParse(target, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
