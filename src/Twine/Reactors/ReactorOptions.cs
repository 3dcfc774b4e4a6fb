using Twine.Time;

namespace Twine.Reactors;

/// <summary>Settings for <see cref="Reactor.Create"/> and <see cref="Reactor.React(Func{Reactor, string[], Defer.Deferred}, string[], ReactorOptions?)"/>.</summary>
/// <example>
/// <code>
/// using var reactor = Reactor.Create(new ReactorOptions { InstallSignalHandlers = false, ThreadPoolSize = 4 });
/// </code>
/// </example>
public sealed class ReactorOptions
{
    /// <summary>The I/O backend; <see cref="ReactorBackend.Auto"/> by default.</summary>
    public ReactorBackend Backend { get; set; } = ReactorBackend.Auto;

    /// <summary>
    /// The socket layer for TCP, Unix and UDP; <see cref="Reactors.SocketLayer.Auto"/> by default (the <c>TWINE_SOCKETS</c>
    /// environment variable, else native on Linux and portable elsewhere).
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">From <see cref="Reactor.Create"/>: <see cref="Reactors.SocketLayer.Native"/> off Linux.</exception>
    public SocketLayer SocketLayer { get; set; } = SocketLayer.Auto;

    /// <summary>
    /// The layer that runs child processes; <see cref="Reactors.ProcessLayer.Auto"/> by default (the <c>TWINE_PROCESSES</c>
    /// environment variable, else native on Linux and portable elsewhere). Independent of <see cref="SocketLayer"/>.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">From <see cref="Reactor.Create"/>: <see cref="Reactors.ProcessLayer.Native"/> off Linux.</exception>
    public ProcessLayer ProcessLayer { get; set; } = ProcessLayer.Auto;

    /// <summary>How the native process layer learns of exits (tests run the process suite on each path).</summary>
    internal Processes.ChildReaping ChildReaping { get; set; } = Processes.ChildReaping.Auto;

    /// <summary>
    /// Whether SIGINT and SIGTERM stop the reactor cleanly (running the shutdown triggers) instead of killing the
    /// process. Installed in the "during startup" phase and removed at shutdown (RE4, RE9). True by default, as in
    /// Twisted's <c>reactor.run()</c>; tests that create many reactors turn it off.
    /// </summary>
    public bool InstallSignalHandlers { get; set; } = true;

    /// <summary>The most threads <see cref="Reactor.CallInThread"/> and <see cref="Reactor.DeferToThread{T}"/> use at once (10, as in Twisted).</summary>
    public int ThreadPoolSize { get; set; } = 10;

    /// <summary>
    /// A manual clock whose time becomes the reactor's <see cref="Reactor.Now"/> instead of the system's monotonic
    /// clock (null, the default: real time). Reactor timers then fire when this clock says so: when code on the reactor
    /// thread advances it, or, with <see cref="AutoJumpThreshold"/>, when the reactor jumps it. For tests of socket code
    /// with timeouts.
    /// </summary>
    /// <remarks>
    /// Without <see cref="AutoJumpThreshold"/> the loop never sleeps for a timer (its time only moves when the clock is
    /// advanced): it waits for I/O or for a call from another thread. The clock must then only be advanced on the
    /// reactor thread, for example in <c>reactor.CallFromThread(() =&gt; clock.Advance(...))</c>.
    /// </remarks>
    public Clock? Clock { get; set; }

    /// <summary>
    /// Trio's "autojump" for a reactor on <see cref="Clock"/>: when the loop would wait only for a timer and no I/O
    /// becomes ready within this much real time, it advances the clock straight to the next timer instead of waiting.
    /// Null (the default) turns it off; <see cref="TimeSpan.Zero"/> jumps as soon as nothing is ready right now.
    /// </summary>
    /// <remarks>
    /// A test whose peer answers at once can use zero; one whose peer needs real time to answer (another process, a
    /// thread) sets a threshold that covers it. The threshold is only ever waited for when nothing else can happen.
    /// </remarks>
    /// <example>
    /// <code>
    /// var options = new ReactorOptions { Clock = new Clock(), AutoJumpThreshold = TimeSpan.Zero };
    /// using var reactor = Reactor.Create(options);
    /// reactor.CallLater(TimeSpan.FromHours(1), reactor.Stop);
    /// reactor.Run();   // returns at once; reactor.Now is one hour
    /// </code>
    /// </example>
    public TimeSpan? AutoJumpThreshold { get; set; }

    /// <summary>
    /// Where SIGINT and SIGTERM come from when <see cref="InstallSignalHandlers"/> is true: null (the default) for the
    /// operating system, or a test's own source (RE9).
    /// </summary>
    public ISignalSource? SignalSource { get; set; }
}
