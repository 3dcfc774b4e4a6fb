namespace Twine.Defer;

/// <summary>
/// Bridges between promises and Deferreds and tasks: <c>deferred.AsPromise()</c>, <c>task.AsPromise()</c> and
/// <c>promise.ToDeferred()</c>.
/// </summary>
/// <remarks>
/// <para><b><c>AsPromise</c> consumes the Deferred's result, exactly as <c>await</c> does (IC4).</b> It adds one
/// callback/errback pair to the chain that hands the result to the promise and leaves <c>default(T)</c> behind, so
/// callbacks added to the Deferred afterwards see <c>default(T)</c>, and a failure becomes the promise's rejection to
/// handle or report rather than an unhandled failure of the Deferred as well. This is also what Twisted's
/// <c>Deferred.asFuture</c> does (F1), and what chaining does to an inner Deferred (CH2). The reference must be the
/// chain's current end (a stale one throws <see cref="StaleDeferredException"/>), and the Deferred can still be
/// fired and cancelled as before.</para>
/// <para>The promise settles synchronously when the Deferred fires (its handlers still run later, on its
/// scheduler).</para>
/// </remarks>
/// <example>
/// <code>
/// Deferred&lt;string&gt; d = GetPage(url);
/// Promise&lt;int&gt; length = d.AsPromise().Then(body => body.Length);
/// </code>
/// </example>
public static class PromiseExtensions
{
    /// <summary>
    /// A promise of <paramref name="deferred"/>'s result, consuming it (see the remarks on <see cref="PromiseExtensions"/>).
    /// Uses <paramref name="scheduler"/>, else <see cref="Promise.DefaultScheduler"/>.
    /// </summary>
    public static Promise<T> AsPromise<T>(this Deferred<T> deferred, ICallSoon? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(deferred);
        var p = new Promise<T>(Promise.RequireScheduler(scheduler));
        p.Adopt(deferred);
        return p;
    }

    /// <summary>
    /// A promise that fulfils with <see cref="Unit"/> when a value-less Deferred (an <c>async Deferred</c> method's)
    /// succeeds, or rejects with its failure; the result is consumed, as by <c>await</c>.
    /// </summary>
    public static Promise<Unit> AsPromise(this Deferred deferred, ICallSoon? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(deferred);
        if (deferred is Deferred<Unit> unit) return unit.AsPromise(scheduler);
        var p = new Promise<Unit>(Promise.RequireScheduler(scheduler));
        // Any other result type: only its outcome matters, and the awaiter is the one type-agnostic way to read it.
        var awaiter = deferred.GetAwaiter();
        if (awaiter.IsCompleted) Settle(awaiter, p);
        else awaiter.OnCompleted(() => Settle(awaiter, p));
        return p;
    }

    /// <summary>A promise of <paramref name="task"/>'s outcome; see <see cref="Promise.FromTask{T}(Task{T}, ICallSoon)"/>.</summary>
    public static Promise<T> AsPromise<T>(this Task<T> task, ICallSoon? scheduler = null) => Promise.FromTask(task, scheduler);

    /// <summary>A promise of a value-less task's outcome; see <see cref="Promise.FromTask(Task, ICallSoon)"/>.</summary>
    public static Promise<Unit> AsPromise(this Task task, ICallSoon? scheduler = null) => Promise.FromTask(task, scheduler);

    /// <summary>
    /// A new Deferred that fires with the promise's outcome: a value, or its reason as the failure. Like any handler,
    /// it fires later, on the promise's scheduler, never synchronously; watching the promise counts as handling it.
    /// </summary>
    public static Deferred<T> ToDeferred<T>(this Promise<T> promise)
    {
        ArgumentNullException.ThrowIfNull(promise);
        var d = new Deferred<T>();
        promise.Subscribe(new FireDeferredReaction<T>(d));
        return d;
    }

    private static void Settle(DeferredAwaiter awaiter, Promise<Unit> promise)
    {
        try
        {
            awaiter.GetResult();
        }
        catch (Exception e)
        {
            promise.TryReject(new Failure(e));
            return;
        }
        promise.TryFulfill(Unit.Value);
    }
}
