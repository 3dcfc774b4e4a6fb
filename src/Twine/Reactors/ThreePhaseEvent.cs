using Twine.Defer;
using Twine.Logging;

namespace Twine.Reactors;

/// <summary>
/// One named system event's triggers and the firing protocol (TP1–TP5): every <see cref="SystemEventPhase.Before"/>
/// trigger runs in order, including triggers added while the phase runs; the Deferreds they return are awaited
/// together; then every <see cref="SystemEventPhase.During"/> and then every <see cref="SystemEventPhase.After"/>
/// trigger runs, in order. Triggers are consumed as they run, so firing again runs only triggers added since.
/// </summary>
/// <remarks>
/// Not thread-safe: the reactor uses it on its own thread. Testable without a running reactor.
/// </remarks>
internal sealed class ThreePhaseEvent(string eventType)
{
    private readonly List<SystemEventTrigger> _before = [];
    private readonly List<SystemEventTrigger> _during = [];
    private readonly List<SystemEventTrigger> _after = [];

    // Before triggers that already ran in the current firing: removing one of them is a no-op (TP4), not an error.
    private List<SystemEventTrigger>? _finishedBefore;

    /// <summary>The event's name.</summary>
    public string EventType { get; } = eventType;

    /// <summary>True from the start of <see cref="Fire"/> until the before phase's Deferreds have all fired.</summary>
    public bool InBeforePhase => _finishedBefore is not null;

    /// <summary>Adds a trigger to <paramref name="phase"/> (TP1).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="phase"/> is not a defined phase.</exception>
    public SystemEventTrigger Add(SystemEventPhase phase, Func<Deferred?> callable)
    {
        ArgumentNullException.ThrowIfNull(callable);
        var trigger = new SystemEventTrigger(EventType, phase, callable);
        ListFor(phase).Add(trigger);
        return trigger;
    }

    /// <summary>
    /// Removes a trigger that has not run (TP4). Removing a before trigger that already ran in the current firing does
    /// nothing, as in Twisted (which only warns). Removing anything else that is not pending throws.
    /// </summary>
    /// <exception cref="ArgumentException">The trigger already ran, was already removed, or belongs to another event.</exception>
    public void Remove(SystemEventTrigger trigger)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        if (trigger.Phase == SystemEventPhase.Before && _finishedBefore is { } finished && finished.Contains(trigger)) return;
        if (trigger.EventType != EventType || !ListFor(trigger.Phase).Remove(trigger))
            throw new ArgumentException($"{trigger} is not a pending trigger: it already ran, was removed, or was never added.", nameof(trigger));
    }

    /// <summary>Fires the event (TP2): the before phase now, the rest now or when the before phase's Deferreds fire.</summary>
    public void Fire()
    {
        var finished = _finishedBefore = [];
        List<Deferred>? waits = null;
        while (_before.Count > 0)
        {
            var trigger = _before[0];
            _before.RemoveAt(0);
            finished.Add(trigger);
            string name = trigger.Describe();
            try
            {
                if (trigger.Invoke() is { } d) (waits ??= []).Add(d);
            }
            catch (Exception ex)
            {
                Log.Error(LogEventId.SystemEventTriggerFailed, typeof(Reactor), $"Error in before-{EventType} trigger {name}", ex);
            }
        }

        if (waits is null)
        {
            ContinueFiring(finished);
            return;
        }
        int remaining = waits.Count;
        foreach (var d in waits)
        {
            void OneDone()
            {
                if (--remaining == 0) ContinueFiring(finished);
            }
            try
            {
                d.AddErrback(f => Log.Error(LogEventId.SystemEventTriggerFailed, typeof(Reactor), $"Error in Deferred from a before-{EventType} trigger", f)).AddBoth(OneDone);
            }
            catch (Exception ex)
            {
                // A Deferred the trigger returned through a stale reference, for instance: it cannot be waited on.
                Log.Error(LogEventId.SystemEventTriggerFailed, typeof(Reactor), $"Cannot wait for the Deferred returned by a before-{EventType} trigger", ex);
                OneDone();
            }
        }
    }

    private void ContinueFiring(List<SystemEventTrigger> finished)
    {
        // A later Fire may have started its own before phase while this one waited; leave its bookkeeping alone (TP5).
        if (ReferenceEquals(_finishedBefore, finished)) _finishedBefore = null;
        RunAll(_during, "during");
        RunAll(_after, "after");
    }

    private void RunAll(List<SystemEventTrigger> phase, string phaseName)
    {
        while (phase.Count > 0)
        {
            var trigger = phase[0];
            phase.RemoveAt(0);
            string name = trigger.Describe();
            try
            {
                trigger.Invoke();
            }
            catch (Exception ex)
            {
                Log.Error(LogEventId.SystemEventTriggerFailed, typeof(Reactor), $"Error in {phaseName}-{EventType} trigger {name}", ex);
            }
        }
    }

    private List<SystemEventTrigger> ListFor(SystemEventPhase phase) => phase switch
    {
        SystemEventPhase.Before => _before,
        SystemEventPhase.During => _during,
        SystemEventPhase.After => _after,
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "The phase must be Before, During or After."),
    };
}
