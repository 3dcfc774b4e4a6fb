using Twine.Defer;

namespace Twine.Threading;

/// <summary>Running work on a particular <see cref="ReactorThreadPool"/> (Twisted's <c>threads.deferToThreadPool</c>).</summary>
/// <example>
/// <code>
/// var pool = new ReactorThreadPool(maxThreads: 4);
/// pool.Start();
/// ThreadPools.DeferToThreadPool(reactor, pool, () => Compress(data)).AddCallback(Store);
/// </code>
/// </example>
public static class ThreadPools
{
    /// <summary>
    /// Runs <paramref name="function"/> on <paramref name="pool"/>; the Deferred fires with its result, or its
    /// exception, on <paramref name="reactor"/>'s thread.
    /// </summary>
    public static Deferred<T> DeferToThreadPool<T>(IReactorFromThreads reactor, ReactorThreadPool pool, Func<T> function)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(function);
        var d = new Deferred<T>();
        pool.CallInThread(() =>
        {
            T result;
            try
            {
                result = function();
            }
            catch (Exception ex)
            {
                reactor.CallFromThread(static s => s.d.Errback(s.ex), (d, ex));
                return;
            }
            reactor.CallFromThread(static s => s.d.Callback(s.result), (d, result));
        });
        return d;
    }
}
