using System.Runtime.InteropServices;
using Twine.Reactors;

namespace Twine.Testing;

/// <summary>
/// A signal source a test raises signals on (RE9): give it to <see cref="ReactorOptions.SignalSource"/>, then
/// <see cref="Raise"/> SIGINT or SIGTERM from any thread, as the operating system would, without signalling the process.
/// </summary>
/// <example>
/// <code>
/// var signals = new ManualSignalSource();
/// int code = Reactor.React((reactor, _) =>
/// {
///     reactor.CallWhenRunning(() => signals.Raise(PosixSignal.SIGINT));
///     return new Deferred&lt;Unit&gt;();                // never finishes by itself
/// }, [], new ReactorOptions { SignalSource = signals });
/// // code == 130
/// </code>
/// </example>
public sealed class ManualSignalSource : ISignalSource
{
    private readonly object _gate = new();
    private readonly List<(PosixSignal Signal, Action<PosixSignal> Handler)> _handlers = [];

    /// <inheritdoc/>
    public IDisposable Register(PosixSignal signal, Action<PosixSignal> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var entry = (signal, handler);
        lock (_gate) _handlers.Add(entry);
        return new Registration(this, entry);
    }

    /// <summary>True while a handler for <paramref name="signal"/> is registered.</summary>
    public bool IsRegistered(PosixSignal signal)
    {
        lock (_gate) return _handlers.Exists(h => h.Signal == signal);
    }

    /// <summary>Delivers <paramref name="signal"/> to its handlers on the calling thread, in registration order. Any thread.</summary>
    /// <returns>False when no handler was registered: a real signal would then have had its default effect.</returns>
    public bool Raise(PosixSignal signal)
    {
        Action<PosixSignal>[] handlers;
        lock (_gate) handlers = [.. _handlers.Where(h => h.Signal == signal).Select(h => h.Handler)];
        foreach (var handler in handlers) handler(signal);
        return handlers.Length > 0;
    }

    private sealed class Registration(ManualSignalSource source, (PosixSignal, Action<PosixSignal>) entry) : IDisposable
    {
        public void Dispose()
        {
            lock (source._gate) source._handlers.Remove(entry);
        }
    }
}
