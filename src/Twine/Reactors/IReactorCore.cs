using Twine.Defer;

namespace Twine.Reactors;

/// <summary>
/// The core of a reactor (Twisted's <c>IReactorCore</c>): running and stopping it, and the system events
/// ("startup", "shutdown") that code hooks into. Implemented by <see cref="Reactor"/> and by
/// <c>Twine.Testing.MemoryReactor</c>, so code that starts or stops a program depends on this role, not on the sealed
/// class, and runs unchanged on the test double.
/// </summary>
/// <remarks>
/// Members are called on the reactor thread, except <see cref="Stop"/> on <see cref="Reactor"/>, which any thread may
/// call. <see cref="Reactor.React{TReactor}(TReactor, Func{TReactor, string[], Deferred}, string[])"/> needs only this
/// role.
/// </remarks>
/// <example>
/// <code>
/// static void StopAfterShutdownWork(IReactorCore reactor, Func&lt;Deferred?&gt; flush)
/// {
///     reactor.AddSystemEventTrigger(SystemEventPhase.Before, Reactor.Shutdown, flush);
///     reactor.CallWhenRunning(reactor.Stop);
///     reactor.Run();
/// }
/// </code>
/// </example>
public interface IReactorCore
{
    /// <summary>True from the "during startup" phase until the loop ends (by <see cref="Crash"/> or during shutdown).</summary>
    bool IsRunning { get; }

    /// <summary>The signal number (2 for SIGINT, 15 for SIGTERM) that stopped the reactor, or null (RE9).</summary>
    int? ExitSignal { get; }

    /// <summary>Runs the reactor on the calling thread until it is stopped (after every shutdown phase) or crashed.</summary>
    void Run();

    /// <summary>Asks the reactor to stop: the "shutdown" event fires, then <see cref="Run"/> returns.</summary>
    /// <exception cref="ReactorNotRunningException">The reactor is not running, or is already stopping (RE1).</exception>
    void Stop();

    /// <summary>Ends the loop at once, without the shutdown triggers (RE7).</summary>
    void Crash();

    /// <summary>
    /// Adds a trigger to a phase of a system event; a <see cref="SystemEventPhase.Before"/> trigger may return a
    /// Deferred that the later phases wait for (TP2).
    /// </summary>
    /// <returns>A handle for <see cref="RemoveSystemEventTrigger"/>.</returns>
    SystemEventTrigger AddSystemEventTrigger(SystemEventPhase phase, string eventType, Func<Deferred?> callable);

    /// <summary>Adds a trigger that has nothing to wait for.</summary>
    /// <returns>A handle for <see cref="RemoveSystemEventTrigger"/>.</returns>
    SystemEventTrigger AddSystemEventTrigger(SystemEventPhase phase, string eventType, Action callable);

    /// <summary>Removes a trigger that has not run yet (TP4).</summary>
    /// <exception cref="ArgumentException">The trigger already ran, was removed, or belongs to another reactor.</exception>
    void RemoveSystemEventTrigger(SystemEventTrigger trigger);

    /// <summary>Fires a system event: its before, during and after triggers, in that order (TP2).</summary>
    void FireSystemEvent(string eventType);

    /// <summary>Calls <paramref name="callable"/> now if the reactor is running, otherwise once it is (RE3).</summary>
    /// <returns>The trigger's handle, or null when <paramref name="callable"/> ran at once.</returns>
    SystemEventTrigger? CallWhenRunning(Action callable);
}
