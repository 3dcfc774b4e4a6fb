namespace Twine.Defer;

// Factories and utilities (docs/behaviours.md §4): Succeed, Fail, MaybeDeferred, Execute, LogError, debug mode.
public abstract partial class Deferred
{
    private static volatile bool s_debug;

    /// <summary>
    /// Debug mode (D10): new Deferreds record the stack that created them and the stack that first fired them, and
    /// <see cref="AlreadyCalledException"/> and unhandled-failure reports include both. May be switched at any time.
    /// </summary>
    public static bool Debug
    {
        get => s_debug;
        set => s_debug = value;
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
        Logging.Log.Error("Unhandled error", failure);
        return failure;
    }
}

/// <summary>Conveniences for value-less Deferreds.</summary>
public static class DeferredExtensions
{
    /// <summary>Fires a value-less Deferred.</summary>
    public static void Callback(this Deferred<Unit> deferred) => deferred.Callback(Unit.Value);
}
