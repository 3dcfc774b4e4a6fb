using System.Runtime.InteropServices;
using Twine.Logging;
using Twine.Reactors.Io;

namespace Twine.Processes;

/// <summary>
/// One loop's children watched through SIGCHLD: the signal, however many children it stands for, posts one sweep to the
/// loop, and the sweep calls <c>waitpid(pid, WNOHANG)</c> for each child this loop still watches (never <c>-1</c>, so
/// no other code's children are touched). Get it with <c>loop.Local&lt;SigChldReaper&gt;()</c>.
/// </summary>
/// <remarks>
/// <para><b>How the runtime delivers SIGCHLD.</b> .NET's System.Native installs one C handler per signal that only
/// writes the signal number to a pipe; its ".NET SigHandler" thread reads the pipe, first runs
/// <c>System.Diagnostics.Process</c>'s own SIGCHLD work (it calls <c>waitpid</c> for the pids <em>it</em> started only),
/// then hands the signal to every <see cref="PosixSignalRegistration"/>, whose handlers run on the thread pool. So
/// registering SIGCHLD is allowed and coexists with <c>Process</c>: both see every SIGCHLD and each reaps its own pids.</para>
/// <para><b>Not cancelled.</b> The handler leaves <see cref="PosixSignalContext.Cancel"/> false: for SIGCHLD the
/// runtime's follow-up when nobody cancels is to restore its terminal settings after a child that used the terminal.</para>
/// <para><b>Coalescing.</b> Standard signals do not queue: fifty children exiting together may raise one SIGCHLD. That is
/// why each signal sweeps every watched pid rather than trusting the signal's sender, and why the "sweep posted" flag
/// is cleared <em>before</em> sweeping: a SIGCHLD arriving during a sweep posts another one.</para>
/// <para><b>When SIGCHLD never comes.</b> The runtime leaves a signal that was ignored when the program started ignored
/// (an ignored SIGCHLD survives <c>exec</c>, so a parent can hand it down). The kernel then reaps children itself and
/// sends no SIGCHLD: <see cref="Available"/> is false and the watcher polls instead. And when this program is pid 1 (a
/// container's init), the runtime reaps <em>every</em> child with <c>waitpid(-1)</c> before the handlers run: the sweep
/// then gets ECHILD and reports the exit with an unknown status, as the pidfd path does.</para>
/// </remarks>
internal sealed class SigChldReaper
{
    private static readonly Lock s_lock = new();
    private static readonly List<SigChldReaper> s_subscribed = [];
    private static PosixSignalRegistration? s_registration;
    private static bool? s_available;

    private readonly HashSet<ExitWatcher> _watched = [];
    private IIoLoop? _loop;
    private int _sweepPosted;

    /// <summary>
    /// True when SIGCHLD can wake the loops: the process-wide registration is made on first use and kept (a handler
    /// with nobody subscribed does nothing, and re-registering per child would only add gaps to cover).
    /// </summary>
    public static bool Available
    {
        get
        {
            lock (s_lock)
            {
                if (s_available is { } known) return known;
                if (OperatingSystem.IsWindows()) return (s_available = false).Value;
                try
                {
                    s_registration = PosixSignalRegistration.Create(PosixSignal.SIGCHLD, OnSigChld);
                    s_available = !SigChldIgnored();
                    if (s_available == false)
                        Log.Info("SIGCHLD is ignored in this process (inherited from its parent), so child exits are polled for.");
                }
                catch (Exception ex) when (ex is PlatformNotSupportedException or IOException)
                {
                    s_available = false;
                }
                return s_available.Value;
            }
        }
    }

    /// <summary>Children watched on this loop (tests).</summary>
    public int Count => _watched.Count;

    /// <summary>Starts watching; the caller then checks once itself, for a child that exited before this subscribed.</summary>
    public void Add(IIoLoop loop, ExitWatcher watcher)
    {
        _loop ??= loop;
        _watched.Add(watcher);
        if (_watched.Count == 1)
        {
            lock (s_lock) s_subscribed.Add(this);
        }
    }

    /// <summary>Stops watching (the child was reaped, or the loop shuts down).</summary>
    public void Remove(ExitWatcher watcher)
    {
        if (!_watched.Remove(watcher) || _watched.Count > 0) return;
        lock (s_lock) s_subscribed.Remove(this);
    }

    /// <summary>On the thread pool, for every SIGCHLD the runtime passes on.</summary>
    private static void OnSigChld(PosixSignalContext context)
    {
        SigChldReaper[] targets;
        lock (s_lock) targets = [.. s_subscribed];
        foreach (var reaper in targets) reaper.Wake();
    }

    private void Wake()
    {
        if (Interlocked.Exchange(ref _sweepPosted, 1) != 0) return;   // a sweep is already on its way
        try
        {
            _loop!.Post(static r => r.Sweep(), this);
        }
        catch (ObjectDisposedException)
        {
            // The reactor went away between the signal and the post: nothing of it is left to reap for.
        }
    }

    private void Sweep()
    {
        Volatile.Write(ref _sweepPosted, 0);
        if (_watched.Count == 0) return;
        foreach (var watcher in _watched.ToArray()) watcher.TryReap();
    }

    /// <summary>Reads SIGCHLD's disposition: the first word of a Linux <c>struct sigaction</c> is the handler, 1 is SIG_IGN.</summary>
    private static unsafe bool SigChldIgnored()
    {
        const int SIGCHLD = 17;
        var action = stackalloc nint[64];   // struct sigaction is 152 bytes on glibc x86-64/arm64
        return ProcessNative.SigAction(SIGCHLD, null, action) == 0 && action[0] == 1;
    }
}
