using System.Runtime.CompilerServices;

namespace Twine.Defer;

/// <summary>
/// What <see cref="DeferredLock"/> and <see cref="DeferredSemaphore"/> share: <see cref="Release"/> and the
/// <c>Run</c> family, which acquires, runs a function, and releases when the function's result is final (P2).
/// </summary>
/// <remarks>
/// <c>Run</c> releases on success and on failure. When the function returns a Deferred (or a Task, or is an
/// <c>async</c> lambda) the primitive stays held until that completes. Cancelling the Deferred that <c>Run</c>
/// returns while it is still waiting to acquire withdraws the request, and the function never runs (P3). Once the
/// function is running, the cancel goes to the Deferred it returned.
/// <para>An <c>async</c> lambda passed to <c>Run</c> becomes an <c>async Deferred</c> lambda (the Deferred overloads
/// take priority), so it runs synchronously up to its first pending await, as Twine code does. A lambda that
/// returns a <see cref="Task"/> is waited for through <see cref="Deferred.FromTask{T}(Task{T}, SynchronizationContext?)"/>;
/// write <c>async Task () =&gt; ...</c> to get a Task-based lambda on purpose.</para>
/// </remarks>
/// <example>
/// <code>
/// var gate = new DeferredSemaphore(2);   // at most two downloads at a time
/// var pages = urls.Select(u => gate.Run(() => GetPage(u)));
/// IReadOnlyList&lt;string&gt; all = await Deferred.GatherResults(pages);
/// </code>
/// </example>
public abstract class ConcurrencyPrimitive
{
    private protected ConcurrencyPrimitive() { }

    /// <summary>Gives back what an acquire took; the next waiter, if any, gets it at once and synchronously (P1, P4).</summary>
    /// <exception cref="InvalidOperationException">Nothing is held: released more often than acquired.</exception>
    public abstract void Release();

    /// <summary>Acquires for <c>Run</c>: a Deferred that fires once this caller holds the primitive.</summary>
    private protected abstract Deferred AcquireForRun();

    /// <summary>Acquires, calls <paramref name="f"/>, and releases once the Deferred it returns has fired (P2).</summary>
    [OverloadResolutionPriority(1)]
    public Deferred<T> Run<T>(Func<Deferred<T>> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return AcquireForRun().AddCallback(() => CallThenRelease(f));
    }

    /// <summary>Acquires, calls <paramref name="f"/> (an <c>async Deferred</c> method, for example), and releases once its Deferred has fired (P2).</summary>
    [OverloadResolutionPriority(1)]
    public Deferred<Unit> Run(Func<Deferred> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        // Chain on the untyped Deferred through a value-less view; a failure passes through unchanged.
        return AcquireForRun().AddCallback(() => CallThenRelease(() => NotNull(f()).AddCallback(static () => Unit.Value)));
    }

    /// <summary>
    /// Acquires, calls <paramref name="f"/> (a method returning a task, for example), and releases once its task has
    /// completed. The task's completion reaches the Deferred as <see cref="Deferred.FromTask{T}(Task{T}, SynchronizationContext?)"/> describes.
    /// </summary>
    public Deferred<T> Run<T>(Func<Task<T>> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return Run(() => Deferred.FromTask(f()));
    }

    /// <summary>As <see cref="Run{T}(Func{Task{T}})"/>, for a task with no value.</summary>
    public Deferred<Unit> Run(Func<Task> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return Run(() => Deferred.FromTask(f()));
    }

    /// <summary>Acquires, calls <paramref name="f"/>, and releases at once, whether it returned or threw (P2).</summary>
    public Deferred<T> Run<T>(Func<T> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return AcquireForRun().AddCallback(() =>
        {
            try
            {
                return f();
            }
            finally
            {
                Release();
            }
        });
    }

    /// <summary>Acquires, calls <paramref name="f"/>, and releases at once, whether it returned or threw (P2).</summary>
    public Deferred<Unit> Run(Action f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return Run(() => { f(); return Unit.Value; });
    }

    private Deferred<T> CallThenRelease<T>(Func<Deferred<T>> f)
    {
        Deferred<T> d;
        try
        {
            d = NotNull(f());
        }
        catch (Exception e)
        {
            Release();
            return Deferred.Fail<T>(e);
        }
        try
        {
            // Held until f's Deferred fires; the release runs on its chain, before the caller sees the result.
            return d.AddFinally(Release);
        }
        catch
        {
            // A stale reference cannot take callbacks: give the primitive back rather than hold it forever.
            Release();
            throw;
        }
    }

    private static TDeferred NotNull<TDeferred>(TDeferred? d) where TDeferred : Deferred =>
        d ?? throw new InvalidOperationException("The function returned a null Deferred.");
}
