using Twine.Defer;
using Twine.Reactors;

namespace Twine.Testing;

// IReactorCore on a fake reactor: the lifecycle is recorded (running/stopped/crashed flags, hooks, triggers, as in
// Twisted's MemoryReactor) and Run() finishes by itself, so Reactor.React and other lifecycle code run on it.
public partial class MemoryReactor : IReactorCore
{
    // The same trigger rules as the real reactor (phases, Deferreds awaited by later phases, removal): one home.
    private readonly SystemEventTable _events = new();
    private bool _crashed;
    private readonly Queue<Action> _pendingHooks = new();

    /// <summary>True while <see cref="Run"/> is running and <see cref="Stop"/> or <see cref="Crash"/> has not been called.</summary>
    public bool IsRunning { get; private set; }

    /// <summary>True once <see cref="Run"/> was called.</summary>
    public bool HasRun { get; private set; }

    /// <summary>True once <see cref="Stop"/> was called.</summary>
    public bool HasStopped { get; private set; }

    /// <summary>True once <see cref="Crash"/> was called.</summary>
    public bool HasCrashed { get; private set; }

    /// <summary>The signal the test says stopped the reactor (see <see cref="StopBySignal"/>), or null.</summary>
    public int? ExitSignal { get; private set; }

    /// <summary>Every hook given to <see cref="CallWhenRunning"/>, in order, including those that ran at once.</summary>
    public List<Action> WhenRunningHooks { get; } = new();

    /// <summary>Every trigger added with <c>AddSystemEventTrigger</c>, in order, including those that ran or were removed.</summary>
    public List<SystemEventTrigger> Triggers { get; } = new();

    /// <summary>
    /// Records the hook. While the reactor runs it is also called at once, as <see cref="Reactor.CallWhenRunning"/>
    /// does; otherwise <see cref="Run"/> calls it.
    /// </summary>
    /// <returns>Null: the hook is kept in <see cref="WhenRunningHooks"/>, not as a trigger.</returns>
    public SystemEventTrigger? CallWhenRunning(Action callable)
    {
        ArgumentNullException.ThrowIfNull(callable);
        WhenRunningHooks.Add(callable);
        if (IsRunning) callable();
        else _pendingHooks.Enqueue(callable);
        return null;
    }

    /// <summary>
    /// Records the trigger. Shutdown triggers run when <see cref="Run"/> ends after a <see cref="Stop"/>; others run
    /// only when the test calls <see cref="FireSystemEvent"/>. (Twisted's MemoryReactor never runs them; running the
    /// shutdown ones is what lets <see cref="Reactor.React{TReactor}(TReactor, Func{TReactor, string[], Deferred}, string[])"/>
    /// see the shutdown it registers for.)
    /// </summary>
    public SystemEventTrigger AddSystemEventTrigger(SystemEventPhase phase, string eventType, Func<Deferred?> callable)
    {
        var trigger = _events.Add(phase, eventType, callable);
        Triggers.Add(trigger);
        return trigger;
    }

    /// <summary>As the other overload, for a trigger with nothing to wait for.</summary>
    public SystemEventTrigger AddSystemEventTrigger(SystemEventPhase phase, string eventType, Action callable) =>
        AddSystemEventTrigger(phase, eventType, SystemEventTable.WithNothingToWaitFor(callable));

    /// <summary>Removes a trigger that has not run.</summary>
    /// <exception cref="ArgumentException">It already ran or was removed.</exception>
    public void RemoveSystemEventTrigger(SystemEventTrigger trigger) => _events.Remove(trigger);

    /// <summary>Runs the pending triggers of <paramref name="eventType"/>: before, during, after.</summary>
    public void FireSystemEvent(string eventType) => _events.Fire(eventType);

    /// <summary>
    /// Runs the reactor without blocking: calls the <see cref="CallWhenRunning"/> hooks not run yet, in order (MR1), then lets
    /// <see cref="RunUntilStopped"/> pass time (nothing here; <see cref="MemoryReactorClock"/> jumps its clock), then
    /// stops if nobody did. After a stop the shutdown triggers run (MR4).
    /// </summary>
    /// <exception cref="ReactorAlreadyRunningException">Already running.</exception>
    public void Run()
    {
        if (IsRunning) throw new ReactorAlreadyRunningException();
        IsRunning = true;
        HasRun = true;
        _crashed = false;
        // Each hook runs once, as on the real reactor: a later Run (after a crash) runs only hooks added since. A hook
        // added while running has already run at once (see CallWhenRunning) and is skipped here.
        while (IsRunning && _pendingHooks.TryDequeue(out var hook)) hook();
        if (IsRunning) RunUntilStopped();
        if (IsRunning) Stop();
        if (!_crashed) FireSystemEvent(Reactor.Shutdown);
    }

    /// <summary>What <see cref="Run"/> does between the hooks and stopping; returns once the reactor stopped or has nothing left to do.</summary>
    protected virtual void RunUntilStopped()
    {
    }

    /// <summary>Records the stop; <see cref="Run"/> then returns and the shutdown triggers run.</summary>
    /// <exception cref="ReactorNotRunningException">The reactor is not running (as <see cref="Reactor.Stop"/>; RE1).</exception>
    public void Stop()
    {
        if (!IsRunning) throw new ReactorNotRunningException();
        IsRunning = false;
        HasStopped = true;
    }

    /// <summary>Records the crash: <see cref="Run"/> returns without the shutdown triggers.</summary>
    public void Crash()
    {
        IsRunning = false;
        HasCrashed = true;
        _crashed = true;
    }

    /// <summary>As if SIGINT (2) or SIGTERM (15) arrived: records <see cref="ExitSignal"/> and stops (RE9).</summary>
    public void StopBySignal(int signal)
    {
        ExitSignal = signal;
        if (IsRunning) Stop();
    }
}
