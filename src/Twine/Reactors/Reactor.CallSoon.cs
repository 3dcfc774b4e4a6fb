using Twine.Defer;

namespace Twine.Reactors;

// The call-soon queue (phase 2 of the loop) and Promise scheduling.
public sealed partial class Reactor : ICallSoon
{
    /// <summary>
    /// Queues <paramref name="action"/>(<paramref name="state"/>) to run on the reactor thread in phase 2 of the next
    /// iteration, after the current callback has returned: how <see cref="Promise{T}"/> runs its handlers. FIFO. From
    /// another thread the call is handed over as a <see cref="CallFromThread(Action)"/> call instead, which keeps the
    /// order of calls made by that thread.
    /// </summary>
    /// <example>
    /// <code>
    /// reactor.CallSoon(s => Console.WriteLine(s), "after the current callback");
    /// </code>
    /// </example>
    public void CallSoon(Action<object?> action, object? state)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (IsInReactorThread) _callSoon.Enqueue(action, state);
        else EnqueueThreadCall(new ThreadCall.OfState<object?>(action, state));
    }

    /// <summary>Makes this reactor the calling thread's <see cref="Promise.DefaultScheduler"/>; returns the previous one.</summary>
    private ICallSoon? InstallScheduler()
    {
        var previous = Promise.DefaultScheduler;
        Promise.DefaultScheduler = this;
        return previous;
    }

    private static void RestoreScheduler(ICallSoon? previous) => Promise.DefaultScheduler = previous;
}
