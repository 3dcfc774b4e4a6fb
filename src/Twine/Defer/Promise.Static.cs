using System.Runtime.CompilerServices;

namespace Twine.Defer;

/// <summary>
/// Factories, combinators and settings for <see cref="Promise{T}"/>: <c>Resolve</c>, <c>Reject</c>,
/// <c>FromTask</c>, <c>All</c>, <c>Race</c>, <c>Any</c>, <c>AllSettled</c>, the <see cref="DefaultScheduler"/> new
/// promises run their handlers on, and the <see cref="UnhandledRejection"/> hook.
/// </summary>
/// <remarks>
/// Every factory takes an optional <see cref="ICallSoon"/>; without one it uses <see cref="DefaultScheduler"/>, and
/// throws <see cref="InvalidOperationException"/> when that is not set either.
/// </remarks>
/// <example>
/// <code>
/// var soon = new ManualCallSoon();
/// using (Promise.UseScheduler(soon))
/// {
///     Promise.All(Promise.Resolve(1), Promise.Resolve(2))
///         .Then(xs => Console.WriteLine(xs.Sum()));
/// }
/// soon.RunUntilIdle();   // prints 3
/// </code>
/// </example>
public static partial class Promise
{
    // Thread-static, not a plain static: the reactor sets it on its own thread while it runs, which is the only thread
    // where promises may be used; code on other threads gets a clear error instead of a scheduler it must not touch,
    // and independent reactors (or tests running in parallel) each keep their own.
    [ThreadStatic] private static ICallSoon? t_defaultScheduler;

    /// <summary>
    /// The scheduler promises created on this thread use when none is passed explicitly. The reactor sets it on its
    /// thread while it runs; tests set it (see <see cref="UseScheduler"/>) to a <see cref="ManualCallSoon"/>.
    /// It is per thread: null on any thread that has not set it.
    /// </summary>
    public static ICallSoon? DefaultScheduler
    {
        get => t_defaultScheduler;
        set => t_defaultScheduler = value;
    }

    /// <summary>
    /// Sets <see cref="DefaultScheduler"/> on this thread until the returned object is disposed, which restores the
    /// previous one.
    /// </summary>
    public static IDisposable UseScheduler(ICallSoon scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        var scope = new SchedulerScope(t_defaultScheduler);
        t_defaultScheduler = scheduler;
        return scope;
    }

    /// <summary>
    /// Raised (on the finalizer thread) when a promise is garbage-collected after being rejected without ever having
    /// had a handler. The reason is also written to <see cref="Logging.Log"/>.
    /// </summary>
    public static event Action<Failure>? UnhandledRejection;

    /// <summary>
    /// A promise fulfilled with <paramref name="value"/> (its handlers still run asynchronously). The overloads below
    /// adopt a promise, Deferred or task instead, as JavaScript's <c>Promise.resolve(thenable)</c> does.
    /// </summary>
    public static Promise<T> Resolve<T>(T value, ICallSoon? scheduler = null)
    {
        var p = new Promise<T>(RequireScheduler(scheduler));
        p.ResolveValue(value);
        return p;
    }

    /// <summary>
    /// A promise fulfilled with <see cref="Unit"/>, on the default scheduler. (There is deliberately no overload taking
    /// a scheduler: <c>Resolve(soon)</c> would resolve a promise <em>of</em> the scheduler; write
    /// <c>Resolve(Unit.Value, soon)</c>.)
    /// </summary>
    public static Promise<Unit> Resolve() => Resolve(Unit.Value);

    /// <summary>Returns <paramref name="promise"/> itself, as JavaScript's <c>Promise.resolve(p)</c> does.</summary>
    public static Promise<T> Resolve<T>(Promise<T> promise)
    {
        ArgumentNullException.ThrowIfNull(promise);
        return promise;
    }

    /// <summary>
    /// A promise that adopts <paramref name="deferred"/>'s result, consuming it as <c>await</c> does (IC4); the same as
    /// <see cref="PromiseExtensions.AsPromise{T}(Deferred{T}, ICallSoon)"/>.
    /// </summary>
    public static Promise<T> Resolve<T>(Deferred<T> deferred, ICallSoon? scheduler = null) => deferred.AsPromise(scheduler);

    /// <summary>A promise of <see cref="Unit"/> that adopts a value-less Deferred's outcome, consuming it.</summary>
    public static Promise<Unit> Resolve(Deferred deferred, ICallSoon? scheduler = null) => deferred.AsPromise(scheduler);

    /// <summary>A promise that adopts <paramref name="task"/>'s outcome; the same as <see cref="FromTask{T}(Task{T}, ICallSoon)"/>.</summary>
    public static Promise<T> Resolve<T>(Task<T> task, ICallSoon? scheduler = null) => FromTask(task, scheduler);

    /// <summary>A promise of <see cref="Unit"/> that adopts a value-less task's outcome.</summary>
    public static Promise<Unit> Resolve(Task task, ICallSoon? scheduler = null) => FromTask(task, scheduler);

    /// <summary>A promise rejected with a failure wrapping <paramref name="exception"/>.</summary>
    public static Promise<T> Reject<T>(Exception exception, ICallSoon? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Reject<T>(new Failure(exception), scheduler);
    }

    /// <summary>A promise rejected with <paramref name="reason"/>.</summary>
    public static Promise<T> Reject<T>(Failure reason, ICallSoon? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var p = new Promise<T>(RequireScheduler(scheduler));
        p.TryReject(reason);
        return p;
    }

    /// <summary>
    /// A promise that adopts <paramref name="task"/>'s outcome: its value, its exception (a faulted task's single
    /// inner exception, else the <see cref="AggregateException"/>), or <see cref="TaskCanceledException"/>. A task
    /// still running hands its outcome back through the scheduler, from whatever thread completes it.
    /// </summary>
    public static Promise<T> FromTask<T>(Task<T> task, ICallSoon? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        var p = new Promise<T>(RequireScheduler(scheduler));
        p.Adopt(task);
        return p;
    }

    /// <summary>As <see cref="FromTask{T}(Task{T}, ICallSoon)"/>, for a task with no value.</summary>
    public static Promise<Unit> FromTask(Task task, ICallSoon? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        var p = new Promise<Unit>(RequireScheduler(scheduler));
        p.Adopt(task);
        return p;
    }

    internal static ICallSoon RequireScheduler(ICallSoon? scheduler) =>
        scheduler ?? t_defaultScheduler ?? throw new InvalidOperationException(
            "No scheduler for this promise: promise handlers run on a reactor's call-soon queue. Create promises on the " +
            "reactor thread while the reactor is running (it sets Promise.DefaultScheduler), or pass an ICallSoon " +
            "explicitly (in tests, a ManualCallSoon; Promise.UseScheduler sets one for a block of code).");

    /// <summary>The error for a promise resolved with itself (Promises/A+ 2.3.1, JavaScript's TypeError).</summary>
    internal static InvalidOperationException SelfResolution() =>
        new("A promise cannot be resolved with itself: the handler returned the promise it was resolving (Promises/A+ 2.3.1).");

    /// <summary>Reinterprets a value whose type the caller has checked to be <typeparamref name="TTo"/> already.</summary>
    internal static TTo Cast<TFrom, TTo>(TFrom value) => Unsafe.As<TFrom, TTo>(ref value);

    internal static void RaiseUnhandled(Failure reason)
    {
        try
        {
            UnhandledRejection?.Invoke(reason);
        }
        catch (Exception)
        {
            // Observers run on the finalizer thread: an exception there would kill the process.
        }
    }

    private sealed class SchedulerScope(ICallSoon? previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            t_defaultScheduler = previous;
        }
    }
}
