namespace Twine.Defer;

// Factories and utilities (docs/behaviours.md §4): Succeed, Fail, MaybeDeferred, Execute, LogError, debug mode.
public abstract partial class Deferred
{
    private static volatile bool s_debug;

    // Threads inside a DebugOnThisThread scope: while none is, the hot path pays one extra static read, not a TLS one.
    private static volatile int s_debugScopes;
    [ThreadStatic] private static bool t_debug;

    /// <summary>
    /// Debug mode (D10) for the whole process: new Deferreds record the stack that created them and the stack that
    /// first fired them, and <see cref="AlreadyCalledException"/> and unhandled-failure reports include both. May be
    /// switched at any time. Reading it tells whether debug mode is on for the calling thread, by either switch.
    /// </summary>
    /// <remarks>
    /// Process-wide, as Twisted's <c>setDebugging</c>, because a Deferred may be created on one thread and fired on
    /// another, and because a debugging session wants every Deferred. Code that wants debug mode for itself only (one
    /// reactor, one test among tests running in parallel) uses <see cref="DebugOnThisThread"/> instead.
    /// </remarks>
    public static bool Debug
    {
        get => s_debug || (s_debugScopes != 0 && t_debug);
        set => s_debug = value;
    }

    /// <summary>
    /// Turns debug mode (D10) on for Deferreds created and fired on the calling thread until the returned scope is
    /// disposed (on this same thread). A reactor runs on one thread, so inside its <c>Run</c> this is debug mode for
    /// that reactor alone; tests running in parallel on other threads are not affected.
    /// </summary>
    /// <example>
    /// <code>
    /// using (Deferred.DebugOnThisThread())
    /// {
    ///     var d = new Deferred&lt;int&gt;();
    ///     d.Callback(1);
    ///     d.Callback(2);   // AlreadyCalledException names both callers' stacks
    /// }
    /// </code>
    /// </example>
    public static IDisposable DebugOnThisThread()
    {
        var scope = new DebugScope(t_debug, Environment.CurrentManagedThreadId);
        t_debug = true;
        Interlocked.Increment(ref s_debugScopes);
        return scope;
    }

    private sealed class DebugScope(bool previous, int threadId) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            if (Environment.CurrentManagedThreadId != threadId)
                throw new InvalidOperationException("A Deferred debug scope must be disposed on the thread that opened it.");
            _disposed = true;
            t_debug = previous;
            Interlocked.Decrement(ref s_debugScopes);
        }
    }

    /// <summary>
    /// Raised (on the finalizer thread) when a Deferred is garbage-collected while still holding a failure nobody
    /// handled (L1). The failure is also written to <see cref="Logging.Log"/>.
    /// </summary>
    public static event Action<Failure>? UnhandledFailure;

    internal static void RaiseUnhandled(Failure failure)
    {
        try
        {
            UnhandledFailure?.Invoke(failure);
        }
        catch (Exception)
        {
            // Observers run on the finalizer thread: an exception there would kill the process.
        }
    }

    /// <summary>An already-fired Deferred (U1).</summary>
    public static Deferred<T> Succeed<T>(T value)
    {
        var d = new Deferred<T>();
        d.Callback(value);
        return d;
    }

    /// <summary>An already-fired Deferred with no value (U1).</summary>
    public static Deferred<Unit> Succeed() => Succeed(Unit.Value);

    /// <summary>An already-failed Deferred (U1).</summary>
    public static Deferred<T> Fail<T>(Exception exception) => Fail<T>(new Failure(exception));

    /// <summary>An already-failed Deferred (U1).</summary>
    public static Deferred<T> Fail<T>(Failure failure)
    {
        var d = new Deferred<T>();
        d.Errback(failure);
        return d;
    }

    /// <summary>An already-failed Deferred with no value (U1).</summary>
    public static Deferred<Unit> Fail(Exception exception) => Fail<Unit>(exception);

    /// <summary>Calls <paramref name="f"/> now and wraps its value, or what it threw, in a fired Deferred (U2).</summary>
    public static Deferred<T> MaybeDeferred<T>(Func<T> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        T value;
        try
        {
            value = f();
        }
        catch (Exception e)
        {
            return Fail<T>(e);
        }
        return Succeed(value);
    }

    /// <summary>Calls <paramref name="f"/> now: returns the very Deferred it returned, or a failed one if it threw (U2).</summary>
    // Preferred when both overloads fit (MaybeDeferred<int>(() => throw e)), which would otherwise be ambiguous;
    // either gives the same failed Deferred.
    [System.Runtime.CompilerServices.OverloadResolutionPriority(1)]
    public static Deferred<T> MaybeDeferred<T>(Func<Deferred<T>> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        try
        {
            return f() ?? throw new InvalidOperationException("The function returned a null Deferred.");
        }
        catch (Exception e)
        {
            return Fail<T>(e);
        }
    }

    /// <summary>Calls <paramref name="f"/> now; a fired Deferred with no value, or failed if it threw (U2).</summary>
    public static Deferred<Unit> MaybeDeferred(Action f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return MaybeDeferred(() => { f(); return Unit.Value; });
    }

    /// <summary>Like <see cref="MaybeDeferred{T}(Func{T})"/> but never unwraps what <paramref name="f"/> returns (U3).</summary>
    public static Deferred<T> Execute<T>(Func<T> f) => MaybeDeferred(f);

    /// <summary>Logs <paramref name="failure"/> and returns it unchanged, for use in errbacks (U4).</summary>
    public static Failure LogError(Failure failure)
    {
        Logging.Log.Error(Logging.LogEventId.UnhandledDeferredError, typeof(Deferred), "Unhandled error", failure);
        return failure;
    }
}

/// <summary>Conveniences for value-less Deferreds.</summary>
public static class DeferredExtensions
{
    /// <summary>Fires a value-less Deferred.</summary>
    public static void Callback(this Deferred<Unit> deferred) => deferred.Callback(Unit.Value);
}
