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
/// children exiting at once are just many ready descriptors in one poll.</para>
/// <para><b>SIGCHLD.</b> Without pidfd (an older kernel, a libc without the wrapper, or <see cref="ChildReaping.SigChld"/>
/// asked for) the child joins its loop's <see cref="SigChldReaper"/>: each SIGCHLD posts one sweep to the loop, which
/// calls <c>waitpid(pid, WNOHANG)</c> for every child still watched. The watcher checks once right after joining, for a
/// child that exited before the process-wide SIGCHLD registration existed; from then on every exit raises a SIGCHLD
/// that finds this child watched (joining happens on the loop thread, before the sweep it posts can run), so no timer
/// is needed as a safety net.</para>
/// <para><b>Polling</b> (10 ms, backing off to 200 ms) is left only for a process where SIGCHLD is ignored and so never
/// arrives (<see cref="SigChldReaper.Available"/>), and for tests (<see cref="ChildReaping.Poll"/>).</para>
/// <para><b>Only our own pids.</b> <c>waitpid</c> is always called with this child's pid, never -1, so children started
/// by <c>System.Diagnostics.Process</c> (whose SIGCHLD handler likewise reaps only its own pids) are untouched, and the
/// two coexist. If something else reaps our child anyway, <c>waitpid</c> reports ECHILD and the exit is reported with
/// an unknown status instead of hanging.</para>
/// </remarks>
internal sealed unsafe class ExitWatcher : IIoHandler
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(200);

    private readonly IIoLoop _loop;
    private readonly int _pid;
    private readonly Action<int?> _exited;
    private readonly ChildReaping _requested;
    private int _pidFd = -1;
    private IoRegistration? _registration;
    private SigChldReaper? _reaper;
    private IDisposable? _tracking;
    private IDelayedCall? _poll;
    private TimeSpan _pollDelay = FirstPoll;
    private bool _done;

    /// <summary>Watches <paramref name="pid"/>; <paramref name="exited"/> gets the wait status, or null if another reaper took it.</summary>
    public ExitWatcher(IIoLoop loop, int pid, Action<int?> exited, ChildReaping reaping = ChildReaping.Auto)
    {
        _loop = loop;
        _pid = pid;
        _exited = exited;
        _requested = reaping;
    }

    /// <summary>The path in use once started: <see cref="ChildReaping.PidFd"/>, <see cref="ChildReaping.SigChld"/> or <see cref="ChildReaping.Poll"/>.</summary>
    public ChildReaping Method { get; private set; }

    /// <summary>True when the watcher uses a pidfd (tests).</summary>
    public bool UsesPidFd => Method == ChildReaping.PidFd;

    public void Start()
    {
        if (_requested is ChildReaping.Auto or ChildReaping.PidFd) _pidFd = OpenPidFd(_pid);
        if (_pidFd >= 0)
        {
            Method = ChildReaping.PidFd;
            _registration = _loop.RegisterIo(_pidFd, IoEvents.Readable, this);
        }
        else if (_requested != ChildReaping.Poll && SigChldReaper.Available)
        {
            Method = ChildReaping.SigChld;
            // Without a descriptor the loop would not tell this watcher about shutdown: ask for that explicitly.
            _tracking = _loop.Track(this);
            _reaper = _loop.Local<SigChldReaper>();
            _reaper.Add(_loop, this);
            TryReap();
        }
        else
        {
            Method = ChildReaping.Poll;
            _poll = _loop.CallLater(_pollDelay, Poll);
        }
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
    public bool TryReap()
    {
        if (_done) return true;
        int status;
        int result;
        do result = ProcessNative.WaitPid(_pid, &status, ProcessNative.WNOHANG);
        while (result < 0 && ProcessNative.LastError == Errno.EINTR);
        if (result == 0) return false;   // still running (a spurious wake-up, or another child's SIGCHLD)
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
        _reaper?.Remove(this);
        _tracking?.Dispose();
        if (_pidFd >= 0) LibC.Close(_pidFd);
        _pidFd = -1;
    }
}
