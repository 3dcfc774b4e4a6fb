using Twine.Native;
using Twine.Reactors.Io;
using Twine.Time;

namespace Twine.Processes;

/// <summary>
/// Notices that one child has exited and reaps it, without blocking and without touching any other process's status.
/// </summary>
/// <remarks>
/// <para><b>pidfd (Linux 5.3+).</b> <c>pidfd_open</c> gives a descriptor that polls readable when the child exits; it is
/// registered with the loop like a socket, and then <c>waitpid(pid, WNOHANG)</c> collects exactly this child. Many
/// children exiting at once are just many ready descriptors in one poll: no signal to coalesce, no sweep.</para>
/// <para><b>Fallback.</b> Without pidfd (an older kernel, or a libc without the wrapper) the watcher polls
/// <c>waitpid(pid, WNOHANG)</c> on a timer, 10 ms at first and backing off to 200 ms. SIGCHLD would wake sooner, but
/// signal delivery belongs to the reactor above this layer, and the timer needs no cooperation from it.</para>
/// <para><b>Only our own pids.</b> <c>waitpid</c> is always called with this child's pid, never -1, so children started
/// by <c>System.Diagnostics.Process</c> (whose SIGCHLD handler likewise reaps only its own pids) are untouched, and the
/// two coexist. If something else reaps our child anyway, the pidfd still fires, <c>waitpid</c> reports ECHILD, and
/// the exit is reported with an unknown status instead of hanging.</para>
/// </remarks>
internal sealed unsafe class ExitWatcher : IIoHandler
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(200);

    private readonly IIoLoop _loop;
    private readonly int _pid;
    private readonly Action<int?> _exited;
    private int _pidFd = -1;
    private IoRegistration? _registration;
    private IDelayedCall? _poll;
    private TimeSpan _pollDelay = FirstPoll;
    private bool _done;

    /// <summary>Watches <paramref name="pid"/>; <paramref name="exited"/> gets the wait status, or null if another reaper took it.</summary>
    public ExitWatcher(IIoLoop loop, int pid, Action<int?> exited)
    {
        _loop = loop;
        _pid = pid;
        _exited = exited;
    }

    /// <summary>True when the watcher uses a pidfd (tests).</summary>
    public bool UsesPidFd => _pidFd >= 0;

    /// <summary>Switched off by tests to exercise the timer fallback.</summary>
    internal static bool PidFdEnabled { get; set; } = true;

    public void Start()
    {
        _pidFd = PidFdEnabled ? OpenPidFd(_pid) : -1;
        if (_pidFd >= 0) _registration = _loop.RegisterIo(_pidFd, IoEvents.Readable, this);
        else _poll = _loop.CallLater(_pollDelay, Poll);
    }

    private static int OpenPidFd(int pid)
    {
        try
        {
            int fd = ProcessNative.PidFdOpen(pid, ProcessNative.O_NONBLOCK);
            // PIDFD_NONBLOCK arrived in 5.10; the descriptor is only polled, never read, so blocking is harmless.
            if (fd < 0 && ProcessNative.LastError == Errno.EINVAL) fd = ProcessNative.PidFdOpen(pid, 0);
            return fd;
        }
        catch (EntryPointNotFoundException)
        {
            return -1;
        }
    }

    /// <inheritdoc />
    public void OnIoReady(IoEvents events) => TryReap();

    /// <inheritdoc />
    public void OnReactorShutdown()
    {
        // The loop is going away: collect the child if it has already exited, otherwise leave it running (as Twisted
        // does) and stop watching.
        if (!TryReap()) Stop();
    }

    private void Poll()
    {
        _poll = null;
        if (TryReap()) return;
        _pollDelay = TimeSpan.FromTicks(Math.Min(_pollDelay.Ticks * 2, LongestPoll.Ticks));
        _poll = _loop.CallLater(_pollDelay, Poll);
    }

    /// <summary>Reaps the child if it has exited; true when it has (and the callback ran).</summary>
    private bool TryReap()
    {
        if (_done) return true;
        int status;
        int result;
        do result = ProcessNative.WaitPid(_pid, &status, ProcessNative.WNOHANG);
        while (result < 0 && ProcessNative.LastError == Errno.EINTR);
        if (result == 0) return false;   // still running (a spurious wake-up)
        int? outcome = result == _pid ? status : null;   // ECHILD: something else reaped it
        Stop();
        _exited(outcome);
        return true;
    }

    private void Stop()
    {
        _done = true;
        _poll?.Cancel();
        _poll = null;
        _registration?.Dispose();
        if (_pidFd >= 0) LibC.Close(_pidFd);
        _pidFd = -1;
    }
}
