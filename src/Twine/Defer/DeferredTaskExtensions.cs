namespace Twine.Defer;

/// <summary>
/// Deferreds as <see cref="Task"/>s (docs/behaviours.md §10, F1–F2 analogues), for code written against the TPL.
/// The reverse direction is <see cref="Deferred.FromTask{T}(Task{T}, SynchronizationContext?)"/> and
/// <see cref="Deferred.FromAsync{T}(Func{CancellationToken, Task{T}}, SynchronizationContext?)"/>.
/// </summary>
/// <example>
/// <code>
/// // Hand a Deferred to a library that takes tasks, with a token that cancels the Deferred.
/// string page = await GetPage(url).AsTask(cancellationToken);
/// </code>
/// </example>
public static class DeferredTaskExtensions
{
    /// <summary>
    /// A task that completes with <paramref name="deferred"/>'s result (F1). This adds a callback pair that
    /// <em>consumes</em> the result: callbacks added to the Deferred afterwards receive <c>default(T)</c>, and a
    /// failure, now owned by the task, is not reported as an unhandled Deferred error. A failure faults the task
    /// with the failure's original exception (a cancelled Deferred's <see cref="CancelledException"/> included), so
    /// <c>await</c> throws exactly what the Deferred failed with.
    /// </summary>
    /// <remarks>
    /// <para>When <paramref name="cancellationToken"/> is cancelled before the Deferred has delivered its result, the
    /// task becomes cancelled at once (it is thread-safe) and the Deferred is cancelled, its canceller called (F2).
    /// The task stays cancelled even if the canceller fires the Deferred with a value; that value is consumed too.
    /// Because the token may be cancelled on any thread, cancelling the Deferred is posted to
    /// <paramref name="context"/>, by default <see cref="SynchronizationContext.Current"/> at this call; with no
    /// context it happens on the cancelling thread, which the caller must then make safe.</para>
    /// <para>The task runs its continuations asynchronously, so code awaiting it never runs inside the Deferred's
    /// callback chain.</para>
    /// </remarks>
    /// <example>
    /// <code>
    /// Task&lt;int&gt; t = SlowMultiply(reactor, 5, 7).AsTask();
    /// </code>
    /// </example>
    public static Task<T> AsTask<T>(this Deferred<T> deferred, CancellationToken cancellationToken = default, SynchronizationContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(deferred);
        var bridge = new TaskBridge<T>(deferred);
        // Returning default(T) from both sides is the consumption (F1); the errback returning recovers the chain.
        Func<T, T> onValue = value => { bridge.Deliver(null, value); return default!; };
        Func<Failure, T> onFailure = failure => { bridge.Deliver(failure, default!); return default!; };
        deferred.AddCallbacks(onValue, onFailure);
        bridge.Watch(cancellationToken, context ?? SynchronizationContext.Current);
        return bridge.Task;
    }

    /// <summary>
    /// As <see cref="AsTask{T}(Deferred{T}, CancellationToken, SynchronizationContext?)"/>, for a Deferred known only
    /// as <see cref="Deferred"/> (an <c>async Deferred</c> method's result): the task has no value, and the
    /// Deferred is left holding its type's default.
    /// </summary>
    /// <example>
    /// <code>
    /// await Serve(port).AsTask();   // from a Main that returns Task
    /// </code>
    /// </example>
    public static Task AsTask(this Deferred deferred, CancellationToken cancellationToken = default, SynchronizationContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(deferred);
        var bridge = new TaskBridge<Unit>(deferred);
        // The value's type is not known here, so a link reads the outcome and consumes it in place.
        ChainEnd.Append(deferred, new ConsumeOutcomeLink(failure => bridge.Deliver(failure, Unit.Value)));
        bridge.Watch(cancellationToken, context ?? SynchronizationContext.Current);
        return bridge.Task;
    }
}

/// <summary>Connects one Deferred to the task <c>AsTask</c> returns, including its cancellation (F1, F2).</summary>
internal sealed class TaskBridge<T>(Deferred deferred)
{
    private readonly TaskCompletionSource<T> _source = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SynchronizationContext? _context;
    private CancellationTokenRegistration _registration;
    private bool _delivered;

    public Task<T> Task => _source.Task;

    /// <summary>The Deferred's result reached the bridge (on the owner's thread).</summary>
    public void Deliver(Failure? failure, T value)
    {
        _delivered = true;
        _registration.Unregister();
        if (failure is null) _source.TrySetResult(value);
        else _source.TrySetException(failure.Value);
    }

    public void Watch(CancellationToken token, SynchronizationContext? context)
    {
        if (_delivered || !token.CanBeCanceled) return;
        if (token.IsCancellationRequested)
        {
            // On the owner's thread already: no need to post.
            _source.TrySetCanceled(token);
            deferred.Cancel();
            return;
        }
        _context = context;
        _registration = token.UnsafeRegister(static (state, token) => ((TaskBridge<T>)state!).OnCancelled(token), this);
    }

    // On whichever thread cancelled the token.
    private void OnCancelled(CancellationToken token)
    {
        // The task is cancelled at once (F2); only the Deferred needs its owner's thread.
        if (!_source.TrySetCanceled(token)) return;
        if (_context is { } context) context.Post(static state => ((TaskBridge<T>)state!).CancelDeferred(), this);
        else CancelDeferred();
    }

    private void CancelDeferred()
    {
        // Posted: the Deferred may have delivered meanwhile (to the already-cancelled task), and cancelling it then
        // could cancel something its later callbacks are waiting on.
        if (!_delivered) deferred.Cancel();
    }
}
