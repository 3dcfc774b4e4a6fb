using Twine.Defer;

namespace Twine.Reactors;

/// <summary>
/// The opaque handle of a system event trigger, returned by <see cref="Reactor.AddSystemEventTrigger(SystemEventPhase, string, Action)"/>
/// and given back to <see cref="Reactor.RemoveSystemEventTrigger"/>. Handles are compared by identity (TP6), so
/// registering the same delegate twice gives two independent triggers.
/// </summary>
/// <example>
/// <code>
/// var trigger = reactor.AddSystemEventTrigger(SystemEventPhase.During, Reactor.Shutdown, () => Console.WriteLine("bye"));
/// reactor.RemoveSystemEventTrigger(trigger);
/// </code>
/// </example>
public sealed class SystemEventTrigger
{
    private Func<Deferred?>? _callable;

    internal SystemEventTrigger(string eventType, SystemEventPhase phase, Func<Deferred?> callable)
    {
        EventType = eventType;
        Phase = phase;
        _callable = callable;
    }

    /// <summary>The event the trigger belongs to, for example <see cref="Reactor.Shutdown"/>.</summary>
    public string EventType { get; }

    /// <summary>The phase it runs in.</summary>
    public SystemEventPhase Phase { get; }

    /// <summary>Runs the trigger once, dropping the delegate so that what it captured can be collected (TP3).</summary>
    internal Deferred? Invoke()
    {
        var callable = _callable!;
        _callable = null;
        return callable();
    }

    /// <summary>Names the trigger's delegate for the log.</summary>
    internal string Describe() => _callable is { } c ? $"{c.Method.DeclaringType?.Name}.{c.Method.Name}" : "(ran)";

    /// <inheritdoc />
    public override string ToString() => $"<SystemEventTrigger {Phase} {EventType} {Describe()}>";
}
