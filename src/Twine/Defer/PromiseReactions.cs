namespace Twine.Defer;

/// <summary>
/// Something waiting for a <see cref="Promise{T}"/> to settle. <see cref="OnSettled"/> is called synchronously, in
/// registration order, when the promise settles (or at once, when registered on a settled one). Reactions that run
/// user code never run it there: they queue it on the scheduler (<see cref="ScheduledReaction{T}"/>), which is what
/// makes handlers asynchronous (2.2.4). Only library bookkeeping (combinators) reacts synchronously.
/// </summary>
internal abstract class PromiseReaction<T>
{
    internal abstract void OnSettled(Promise<T> source);
}

/// <summary>A reaction that runs later, on the source promise's scheduler, after the settling code has returned.</summary>
internal abstract class ScheduledReaction<T> : PromiseReaction<T>
{
    private static readonly Action<object?> s_run = static state =>
    {
        var reaction = (ScheduledReaction<T>)state!;
        var source = reaction._source!;
        reaction._source = null;
        reaction.Run(source);
    };

    private Promise<T>? _source;

    internal sealed override void OnSettled(Promise<T> source)
    {
        _source = source;
        source.Scheduler.CallSoon(s_run, this);
    }

    /// <summary>Runs on the scheduler with the settled source. Must not throw.</summary>
    protected abstract void Run(Promise<T> source);
}

/// <summary>
/// A <c>Then</c>/<c>Catch</c> registration (2.2.7): runs the handler for the source's outcome and resolves the derived
/// promise with what it returned through <c>resolve</c> (a value, or a promise, Deferred or task to adopt). A
/// missing handler passes the outcome through (2.2.7.3, 2.2.7.4); a throwing one rejects (2.2.7.2).
/// </summary>
/// <remarks>The <c>resolve</c> delegates are cached statics (see <see cref="Resolvers{T}"/>), so a registration is one object.</remarks>
internal sealed class ThenReaction<T, TResult, TNext>(
    Func<T, TResult>? onFulfilled,
    Func<Failure, TResult>? onRejected,
    Promise<TNext> derived,
    Action<Promise<TNext>, TResult> resolve) : ScheduledReaction<T>
{
    protected override void Run(Promise<T> source)
    {
        var reason = source.Reason;
        try
        {
            if (reason is null)
            {
                // A null onFulfilled is only accepted when T and TNext are the same type (checked when registered).
                if (onFulfilled is null) derived.ResolveValue(Promise.Cast<T, TNext>(source.Value));
                else resolve(derived, onFulfilled(source.Value));
            }
            else
            {
                if (onRejected is null) derived.TryReject(reason);
                else resolve(derived, onRejected(reason));
            }
        }
        catch (Exception e)
        {
            // Re-throwing the reason's own exception (Failure.Trap, RaiseException) passes the same Failure on.
            derived.TryReject(reason is not null && ReferenceEquals(reason.Value, e) ? reason : new Failure(e));
        }
    }
}

/// <summary>
/// A <c>Finally</c> registration: runs the action, waits for the promise it returned (if any), then settles the
/// derived promise with the source's own outcome, unless the action threw or its promise rejected.
/// </summary>
internal sealed class FinallyReaction<T, TAny>(Func<Promise<TAny>?> action, Promise<T> derived) : ScheduledReaction<T>
{
    protected override void Run(Promise<T> source)
    {
        Promise<TAny>? wait;
        try
        {
            wait = action();
        }
        catch (Exception e)
        {
            derived.TryReject(source.Reason is { } r && ReferenceEquals(r.Value, e) ? r : new Failure(e));
            return;
        }
        if (wait is null) derived.SettleFrom(source);
        else wait.Subscribe(new FinallyWaitReaction<T, TAny>(source, derived));
    }
}

/// <summary>The second half of <see cref="FinallyReaction{T, TAny}"/>: the action's promise has settled.</summary>
internal sealed class FinallyWaitReaction<T, TAny>(Promise<T> source, Promise<T> derived) : ScheduledReaction<TAny>
{
    protected override void Run(Promise<TAny> waited)
    {
        if (waited.Reason is { } reason) derived.TryReject(reason);
        else derived.SettleFrom(source);
    }
}

/// <summary>Makes a promise take another's outcome (2.3.2), one scheduler turn after it settles.</summary>
internal sealed class AdoptReaction<T>(Promise<T> target) : ScheduledReaction<T>
{
    protected override void Run(Promise<T> source) => target.SettleFrom(source);
}

/// <summary>Fires a Deferred with a promise's outcome (<c>ToDeferred</c>), on the scheduler like any handler.</summary>
internal sealed class FireDeferredReaction<T>(Deferred<T> deferred) : ScheduledReaction<T>
{
    protected override void Run(Promise<T> source)
    {
        // The Deferred's callbacks run synchronously inside Callback; one that throws stays in its own chain.
        if (source.Reason is { } reason) deferred.Errback(reason);
        else deferred.Callback(source.Value);
    }
}

/// <summary>Resumes an <c>await</c>: queues the continuation on the scheduler, in the captured execution context if any.</summary>
internal sealed class AwaitReaction<T>(Action continuation, ExecutionContext? context) : ScheduledReaction<T>
{
    private static readonly ContextCallback s_invoke = static state => ((Action)state!)();

    protected override void Run(Promise<T> source)
    {
        if (context is null) continuation();
        else ExecutionContext.Run(context, s_invoke, continuation);
    }
}

/// <summary>The cached delegates <see cref="ThenReaction{T, TResult, TNext}"/> uses to resolve its derived promise.</summary>
internal static class Resolvers<T>
{
    internal static readonly Action<Promise<T>, T> Value = static (p, v) => p.ResolveValue(v);
    internal static readonly Action<Promise<T>, Promise<T>> Promise = static (p, inner) => p.Adopt(inner);
    internal static readonly Action<Promise<T>, Deferred<T>> Deferred = static (p, inner) => p.Adopt(inner);
    internal static readonly Action<Promise<T>, Task<T>> Task = static (p, inner) => p.Adopt(inner);
}

/// <summary>Resolvers for handlers that produce no value: a <see cref="Promise{T}"/> of <see cref="Unit"/>.</summary>
internal static class UnitResolvers
{
    internal static readonly Action<Promise<Unit>, Task> Task = static (p, inner) => p.Adopt(inner);
}
