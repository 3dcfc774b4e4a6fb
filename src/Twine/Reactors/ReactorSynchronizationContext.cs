using Twine.Reactors.Io;
using Twine.Threading;

namespace Twine.Reactors;

/// <summary>
/// The <see cref="SynchronizationContext"/> of a running reactor's thread: <see cref="Post"/> goes through
/// <see cref="Reactor.CallFromThread(Action)"/>, so a plain <c>await</c> of a <see cref="Task"/> inside reactor code
/// resumes on the reactor thread, where Deferreds, transports and timers may be touched safely.
/// </summary>
/// <example>
/// <code>
/// reactor.CallWhenRunning(async () =>
/// {
///     var text = await File.ReadAllTextAsync("config.json");   // runs on the .NET thread pool...
///     Console.WriteLine(reactor.IsInReactorThread);             // ...but resumes here: True
/// });
/// </code>
/// </example>
/// <remarks>
/// Internal: code sees it only as <see cref="SynchronizationContext.Current"/> on the reactor thread, which is all that
/// <c>await</c> and <c>Deferred.FromTask</c> need. Work for the reactor from elsewhere goes through
/// <see cref="Reactor.CallFromThread(Action)"/> (the <c>IReactorFromThreads</c> role), not through this type.
/// </remarks>
internal sealed class ReactorSynchronizationContext : SynchronizationContext, IReactorThreadOwned
{
    internal ReactorSynchronizationContext(Reactor reactor) => Reactor = reactor;

    /// <summary>The reactor whose thread this context belongs to.</summary>
    public Reactor Reactor { get; }

    /// <summary>The reactor's thread: what a layer made inside the running loop (TLS over a portable socket) checks against.</summary>
    ReactorThread? IReactorThreadOwned.OwnerThread => ((IIoLoop)Reactor).Thread;

    /// <summary>Queues <paramref name="d"/> to run on the reactor thread (from any thread; FIFO with other thread calls).</summary>
    public override void Post(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        Reactor.Post(d, state);
    }

    /// <summary>
    /// Runs <paramref name="d"/> on the reactor thread and waits for it: inline when already there, otherwise through
    /// <see cref="Reactor.CallFromThread(Action)"/>, re-throwing its exception on the caller's thread.
    /// </summary>
    /// <exception cref="ReactorNotRunningException">The reactor shut down before running it.</exception>
    public override void Send(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (Reactor.IsInReactorThread)
        {
            d(state);
            return;
        }
        Reactor.BlockingCallFromThread(() =>
        {
            d(state);
            return Unit.Value;
        });
    }

    /// <inheritdoc />
    public override SynchronizationContext CreateCopy() => this;
}
