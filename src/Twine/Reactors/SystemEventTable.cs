using Twine.Defer;

namespace Twine.Reactors;

/// <summary>
/// A reactor's named system events and their three-phase triggers (TP1–TP6): the one home of the rules that
/// <see cref="Reactor"/> and Twine.Testing's <c>MemoryReactor</c> both follow.
/// </summary>
internal sealed class SystemEventTable
{
    private readonly Dictionary<string, ThreePhaseEvent> _events = [];

    /// <summary>Adds a trigger to <paramref name="phase"/> of <paramref name="eventType"/>; a before trigger may return a Deferred to wait for.</summary>
    public SystemEventTrigger Add(SystemEventPhase phase, string eventType, Func<Deferred?> callable)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        ArgumentNullException.ThrowIfNull(callable);
        if (!_events.TryGetValue(eventType, out var e)) _events[eventType] = e = new ThreePhaseEvent(eventType);
        return e.Add(phase, callable);
    }

    /// <summary>A trigger function for an action that has nothing to wait for.</summary>
    public static Func<Deferred?> WithNothingToWaitFor(Action callable)
    {
        ArgumentNullException.ThrowIfNull(callable);
        return () =>
        {
            callable();
            return null;
        };
    }

    /// <summary>Removes a trigger that has not run.</summary>
    /// <exception cref="ArgumentException">It already ran or was removed, or belongs to another reactor.</exception>
    public void Remove(SystemEventTrigger trigger)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        if (!_events.TryGetValue(trigger.EventType, out var e))
            throw new ArgumentException($"{trigger} is not a trigger of this reactor.", nameof(trigger));
        e.Remove(trigger);
    }

    /// <summary>Fires <paramref name="eventType"/>: its before, during and after triggers. Unknown names do nothing.</summary>
    public void Fire(string eventType)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        if (_events.TryGetValue(eventType, out var e)) e.Fire();
    }
}
