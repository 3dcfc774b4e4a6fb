using Twine.Reactors.Io;
using System.Diagnostics;
using Twine.Net;
using Twine.Threading;
using Twine.Time;

namespace Twine.Reactors;

/// <summary>
/// The reactor: Twine's event loop. One thread runs it; timers, I/O readiness, thread hand-offs and lifecycle events
/// all become calls on that thread, one at a time, so application code never needs a lock.
/// </summary>
/// <remarks>
/// <para><see cref="Run"/> blocks the calling thread until <see cref="Stop"/> (or <see cref="Crash"/>). What one turn
/// of the loop does is described in one place: the comment on <c>RunOnce</c> in Reactor.Loop.cs.</para>
/// <para>Except where a member says otherwise (<see cref="CallFromThread(Action)"/>, <see cref="CallInThread"/>,
/// <see cref="BlockingCallFromThread{T}(Func{T})"/>, <see cref="Stop"/>, <see cref="IsInReactorThread"/>), members
/// must be called on the reactor thread: the thread running <see cref="Run"/>, or before that the thread that created
/// the reactor.</para>
/// </remarks>
/// <example>
/// <code>
/// using var reactor = Reactor.Create();
/// reactor.CallLater(TimeSpan.FromSeconds(1), () => Console.WriteLine("one second later"));
/// reactor.CallLater(TimeSpan.FromSeconds(2), reactor.Stop);
/// reactor.Run();
/// </code>
/// </example>
public sealed partial class Reactor : IReactorCore, IReactorTime, IReactorStreamSockets, IDisposable
{
    /// <summary>The system event fired when <see cref="Run"/> starts (RE4).</summary>
    public const string Startup = "startup";

    /// <summary>The system event fired after <see cref="Stop"/>; <see cref="Run"/> returns once all its phases ran (RE5).</summary>
    public const string Shutdown = "shutdown";

    private readonly ReactorOptions _options;
    private readonly IPollBackend _backend;
    private readonly IoTable _io;
    private readonly TimerQueue _timers;
    private readonly ThreadCallQueue _threadCalls = new();
    private readonly CallSoonQueue _callSoon = new();
    private readonly long _origin = Stopwatch.GetTimestamp();
    private readonly ReactorSynchronizationContext _syncContext;
    private readonly ReactorThread _thread = new();
    private bool _disposed;

    // Twisted's state flags, with Twisted's meanings: _started = the loop should keep turning; _stopped = Stop()
    // would fail (initially true: never started); _startedBefore = a Stop() happened, so Run() may not run again;
    // _justStopped = the shutdown event is due at the end of this iteration.
    private bool _started;
    private bool _stopped = true;
    private bool _startedBefore;
    private bool _justStopped;

    private Reactor(ReactorOptions options, IPollBackend backend, SocketLayer layer, ProcessLayer processLayer)
    {
        SocketLayer = layer;
        ProcessLayer = processLayer;
        _options = options;
        _backend = backend;
        _io = new IoTable(backend);
        _timers = new TimerQueue(this);
        _syncContext = new ReactorSynchronizationContext(this);
        // Timers made through the TimeProvider from other threads (Task.Delay, CancellationTokenSource) are posted here.
        TimeProvider = new ReactorTimeProvider(this, DateTimeOffset.UtcNow, onOwnerThread: () => IsInReactorThread, postToOwner: CallFromThread);
        _poolSize = options.ThreadPoolSize;
        // The reactor's own triggers come first in their phases, as in Twisted's __init__ (RE4, RE6).
        AddSystemEventTrigger(SystemEventPhase.During, Shutdown, Crash);
        AddSystemEventTrigger(SystemEventPhase.During, Shutdown, DisconnectAll);
        AddSystemEventTrigger(SystemEventPhase.During, Startup, ReallyStartRunning);
    }

    /// <summary>
    /// Creates a reactor. The backend is <paramref name="options"/>' <see cref="ReactorOptions.Backend"/>; when that is
    /// <see cref="ReactorBackend.Auto"/>, the <c>TWINE_REACTOR</c> environment variable (<c>epoll</c> or <c>poll</c>)
    /// decides, and otherwise epoll on Linux and poll(2) on other Unixes.
    /// </summary>
    /// <exception cref="ArgumentException"><c>TWINE_REACTOR</c> names no known backend, <c>TWINE_SOCKETS</c> no socket layer, <c>TWINE_PROCESSES</c> no process layer, or an auto-jump threshold is set without a clock.</exception>
    /// <exception cref="PlatformNotSupportedException">The backend or socket layer is not available on this OS (epoll/poll or the native layer on Windows, the native layer off Linux).</exception>
    public static Reactor Create(ReactorOptions? options = null)
    {
        options ??= new ReactorOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ThreadPoolSize, 1, nameof(options.ThreadPoolSize));
        if (options.AutoJumpThreshold is { } threshold)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(threshold, TimeSpan.Zero, nameof(options.AutoJumpThreshold));
            if (options.Clock is null)
                throw new ArgumentException("ReactorOptions.AutoJumpThreshold needs ReactorOptions.Clock: only a manual clock can jump.", nameof(options));
        }
        var kind = ResolveBackend(options.Backend, Environment.GetEnvironmentVariable("TWINE_REACTOR"));
        var layer = ResolveSocketLayer(options.SocketLayer, Environment.GetEnvironmentVariable("TWINE_SOCKETS"));
        if (layer == SocketLayer.Native && !OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("Twine's native socket layer uses the Linux socket ABI; use SocketLayer.Portable (the default off Linux).");
        if (kind == ReactorBackend.Wait && layer == SocketLayer.Native)
            throw new ArgumentException("The 'wait' reactor backend watches no descriptors, so it needs SocketLayer.Portable.", nameof(options));
        var processLayer = ResolveProcessLayer(options.ProcessLayer, Environment.GetEnvironmentVariable("TWINE_PROCESSES"), kind);
        if (processLayer == ProcessLayer.Native && !OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("Twine's native process layer uses posix_spawn and pidfd as Linux has them; use ProcessLayer.Portable (the default off Linux).");
        if (kind == ReactorBackend.Wait && processLayer == ProcessLayer.Native)
            throw new ArgumentException("The 'wait' reactor backend watches no descriptors, so it needs ProcessLayer.Portable.", nameof(options));
        if (OperatingSystem.IsWindows() && kind != ReactorBackend.Wait)
            throw new PlatformNotSupportedException($"The {kind} reactor backend needs a Unix; on Windows use ReactorBackend.Wait (the default there).");
        IPollBackend backend = kind switch
        {
            ReactorBackend.Epoll => new EpollBackend(),
            ReactorBackend.Poll => new PollBackend(),
            _ => new WaitBackend(),
        };
        return new Reactor(options, backend, layer, processLayer);
    }

    /// <summary>Picks the socket layer: an explicit option wins, then the environment variable, then the OS default.</summary>
    internal static SocketLayer ResolveSocketLayer(SocketLayer requested, string? environment)
    {
        if (requested != SocketLayer.Auto) return requested;
        return environment?.Trim().ToLowerInvariant() switch
        {
            null or "" => OperatingSystem.IsLinux() ? SocketLayer.Native : SocketLayer.Portable,
            "native" => SocketLayer.Native,
            "portable" => SocketLayer.Portable,
            _ => throw new ArgumentException($"TWINE_SOCKETS='{environment}' names no socket layer; use 'native' or 'portable'."),
        };
    }

    /// <summary>
    /// Picks the process layer: an explicit option wins, then the environment variable, then native on Linux with a
    /// descriptor-polling backend (the native layer's pipes need one) and portable otherwise.
    /// </summary>
    internal static ProcessLayer ResolveProcessLayer(ProcessLayer requested, string? environment, ReactorBackend backend)
    {
        if (requested != ProcessLayer.Auto) return requested;
        return environment?.Trim().ToLowerInvariant() switch
        {
            null or "" => OperatingSystem.IsLinux() && backend != ReactorBackend.Wait ? ProcessLayer.Native : ProcessLayer.Portable,
            "native" => ProcessLayer.Native,
            "portable" => ProcessLayer.Portable,
            _ => throw new ArgumentException($"TWINE_PROCESSES='{environment}' names no process layer; use 'native' or 'portable'."),
        };
    }

    /// <summary>The layer this reactor's child processes run on: <see cref="ProcessLayer.Native"/> or <see cref="ProcessLayer.Portable"/>.</summary>
    public ProcessLayer ProcessLayer { get; }

    /// <summary>The socket layer this reactor's TCP, Unix and UDP transports use: <see cref="SocketLayer.Native"/> or <see cref="SocketLayer.Portable"/>.</summary>
    public SocketLayer SocketLayer { get; }

    /// <summary>Picks the backend: an explicit option wins, then the environment variable, then the OS default.</summary>
    internal static ReactorBackend ResolveBackend(ReactorBackend requested, string? environment)
    {
        if (requested != ReactorBackend.Auto) return requested;
        switch (environment?.Trim().ToLowerInvariant())
        {
            case null or "":
                return OperatingSystem.IsLinux() ? ReactorBackend.Epoll : OperatingSystem.IsWindows() ? ReactorBackend.Wait : ReactorBackend.Poll;
            case "epoll":
                return ReactorBackend.Epoll;
            case "poll":
                return ReactorBackend.Poll;
            case "wait":
                return ReactorBackend.Wait;
            default:
                throw new ArgumentException($"TWINE_REACTOR='{environment}' names no reactor backend; use 'epoll', 'poll' or 'wait'.");
        }
    }

    /// <summary>The I/O backend in use: "epoll", "poll" or "wait".</summary>
    public string BackendName => _backend.Name;

    /// <summary>
    /// True while the reactor is running: from the "during startup" phase until <see cref="Crash"/> or the
    /// "during shutdown" phase (RE4). "before startup" triggers see false.
    /// </summary>
    public bool IsRunning { get; private set; }

    /// <summary>True on the reactor's thread (TH3). Any thread.</summary>
    public bool IsInReactorThread => _thread.IsCurrent;

    /// <summary>This reactor's time as a .NET <see cref="System.TimeProvider"/>: timers it creates are reactor timers; they may be created, changed and disposed from any thread.</summary>
    /// <example>
    /// <code>
    /// await Task.Delay(TimeSpan.FromSeconds(1), reactor.TimeProvider);   // resumes on the reactor thread
    /// </code>
    /// </example>
    public TimeProvider TimeProvider { get; }

    /// <summary>
    /// Runs the loop on the calling thread, which becomes the reactor thread, until <see cref="Stop"/> has run every
    /// shutdown phase, or until <see cref="Crash"/>. While it runs, the thread's
    /// <see cref="SynchronizationContext"/> is the reactor's, so <c>await</c> resumes here.
    /// </summary>
    /// <exception cref="ReactorAlreadyRunningException">The reactor is running (RE2).</exception>
    /// <exception cref="ReactorNotRestartableException">The reactor was stopped before (RE2); only a crash allows a re-run.</exception>
    public void Run()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_started) throw new ReactorAlreadyRunningException();
        if (_startedBefore) throw new ReactorNotRestartableException();
        var previousContext = SynchronizationContext.Current;
        var previousScheduler = InstallScheduler();
        SynchronizationContext.SetSynchronizationContext(_syncContext);
        try
        {
            _started = true;
            _stopped = false;
            // A full fence: a thread that still saw the old reactor thread (and so skipped the wake-up) enqueued before
            // reading it, and this thread reads the queue only after this store.
            _thread.MoveToCurrentThread();
            FireSystemEvent(Startup);
            while (_started) RunOnce(Timeout.Infinite, inRun: true);
        }
        catch
        {
            // Only the backend itself failing (a bug, or the process out of descriptors) gets here: callbacks are
            // isolated. Leave the reactor crashed, not half-running, so it can be disposed or run again.
            _started = false;
            IsRunning = false;
            throw;
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previousContext);
            RestoreScheduler(previousScheduler);
        }
    }

    /// <summary>
    /// Asks the reactor to stop: at the end of the current iteration the "shutdown" event fires (before, during,
    /// after), and <see cref="Run"/> returns once all three phases have run (RE5). From another thread the request is
    /// passed on through <see cref="CallFromThread(Action)"/> and never throws.
    /// </summary>
    /// <exception cref="ReactorNotRunningException">The reactor never ran, or is already stopping or stopped (RE1).</exception>
    public void Stop()
    {
        if (!IsInReactorThread)
        {
            CallFromThread(StopIfRunning);
            return;
        }
        if (_stopped) throw new ReactorNotRunningException();
        _stopped = true;
        _justStopped = true;
        _startedBefore = true;
    }

    /// <summary>
    /// Ends the loop at once, without running shutdown triggers (RE7). <see cref="Run"/> may be called again; the
    /// <see cref="CallWhenRunning"/> calls registered after the crash run on the next start (RE2).
    /// </summary>
    public void Crash()
    {
        _started = false;
        IsRunning = false;
        AddSystemEventTrigger(SystemEventPhase.During, Startup, ReallyStartRunning);
    }

    /// <summary>
    /// Runs one iteration of the loop (RE7), waiting for I/O at most <paramref name="delay"/> (zero, the default: just
    /// look). For tests and for embedding the reactor in another loop; call it on the reactor thread.
    /// </summary>
    public void Iterate(TimeSpan delay = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        RunOnce(ToPollMilliseconds(delay), inRun: false);
    }

    /// <summary>Closes the backend's descriptors and stops the thread pool. The reactor must not be running.</summary>
    /// <exception cref="InvalidOperationException">Called while <see cref="Run"/> is on the stack.</exception>
    public void Dispose()
    {
        if (_disposed) return;
        if (_started) throw new InvalidOperationException("Cannot dispose a running reactor; stop it first.");
        _disposed = true;
        // The loop is not running, so nothing else can be on the reactor thread: the disposing thread owns what is left,
        // and the connections it closes may still write or close from their ConnectionLost without breaking the rule.
        _thread.MoveToCurrentThread();
        // A reactor that never ran, or crashed, still has its descriptors registered: close them (RE6's
        // disconnect-all) rather than leak the sockets. After a clean stop this finds nothing left to do.
        DisconnectAll();
        // A crashed reactor never ran its shutdown triggers: its signal handlers are still registered with the process,
        // and a later signal would reach a dead reactor instead of the live ones.
        UninstallSignalHandlers();
        CancelBlockedCallers();
        StopThreadPool();
        _threadCalls.Clear();
        _backend.Dispose();
    }

    /// <summary>Stops if running; used for stop requests that may race with another stop (signals, other threads).</summary>
    internal void StopIfRunning()
    {
        if (!_stopped) Stop();
    }

    /// <summary>The reactor's own "during startup" trigger: the reactor is now running (RE4).</summary>
    private void ReallyStartRunning()
    {
        IsRunning = true;
        if (_options.InstallSignalHandlers) InstallSignalHandlers();
    }
}
