using Twine.Defer;
using Twine.Logging;

namespace Twine.Reactors;

// Lifecycle: system event triggers (TP1–TP6) and CallWhenRunning (RE3).
public sealed partial class Reactor
{
    private readonly SystemEventTable _events = new();

    /// <summary>
    /// Adds a trigger to <paramref name="phase"/> of the system event <paramref name="eventType"/> (usually
    /// <see cref="Startup"/> or <see cref="Shutdown"/>; any name works with <see cref="FireSystemEvent"/>). A
    /// <see cref="SystemEventPhase.Before"/> trigger may return a Deferred: the during and after phases wait until it
    /// fires, while the loop keeps running (TP2). Returning null means "nothing to wait for".
    /// </summary>
    /// <returns>A handle for <see cref="RemoveSystemEventTrigger"/>.</returns>
    /// <example>
    /// <code>
    /// reactor.AddSystemEventTrigger(SystemEventPhase.Before, Reactor.Shutdown, () => server.StopListening());
    /// </code>
    /// </example>
    public SystemEventTrigger AddSystemEventTrigger(SystemEventPhase phase, string eventType, Func<Deferred?> callable)
    {
        return _events.Add(phase, eventType, callable);
    }

    /// <summary>Adds a trigger that has nothing to wait for. See <see cref="AddSystemEventTrigger(SystemEventPhase, string, Func{Deferred})"/>.</summary>
    public SystemEventTrigger AddSystemEventTrigger(SystemEventPhase phase, string eventType, Action callable) =>
        AddSystemEventTrigger(phase, eventType, SystemEventTable.WithNothingToWaitFor(callable));

    /// <summary>
    /// Removes a trigger that has not run yet; it will not run, even if its event is firing right now (TP4). Removing a
    /// before trigger that already ran in the current firing does nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The trigger already ran or was already removed.</exception>
    public void RemoveSystemEventTrigger(SystemEventTrigger trigger) => _events.Remove(trigger);

    /// <summary>Fires the system event <paramref name="eventType"/>: its before, during and after triggers (TP2). Unknown names do nothing.</summary>
    public void FireSystemEvent(string eventType) => _events.Fire(eventType);

    /// <summary>
    /// Calls <paramref name="callable"/> now if the reactor is running, otherwise once it is (an "after startup"
    /// trigger). Calls run in registration order (RE3).
    /// </summary>
    /// <returns>The trigger's handle, or null when <paramref name="callable"/> ran at once.</returns>
    public SystemEventTrigger? CallWhenRunning(Action callable)
    {
        ArgumentNullException.ThrowIfNull(callable);
        if (IsRunning)
        {
            callable();
            return null;
        }
        return AddSystemEventTrigger(SystemEventPhase.After, Startup, callable);
    }

    /// <summary>The reactor's own "during shutdown" trigger (RE6): every registered descriptor's handler closes its connection.</summary>
    private void DisconnectAll()
    {
        CancelBlockedCallers();
        foreach (var registration in _io.Snapshot())
        {
            try
            {
                registration.Handler.OnReactorShutdown();
            }
            catch (Exception ex)
            {
                Log.Error(LogEventId.ShutdownDisconnectFailed, typeof(Reactor), $"Error disconnecting {registration.Handler} (descriptor {registration.Fd}) at shutdown", ex);
            }
            // A handler that forgot to unregister must not leave a dangling entry behind.
            registration.Dispose();
        }
        ShutdownTracked();
    }
}
