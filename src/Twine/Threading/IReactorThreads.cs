using Twine.Defer;

namespace Twine.Threading;

/// <summary>
/// A reactor's threads (Twisted's <c>IReactorThreads</c>): blocking work goes to its pool, and results come back to
/// the reactor thread as Deferreds. Code that only needs this asks for this role, not the whole reactor.
/// </summary>
/// <example>
/// <code>
/// Deferred&lt;IPAddress[]&gt; Resolve(IReactorThreads threads, string host) =>
///     threads.DeferToThread(() => Dns.GetHostAddresses(host));
/// </code>
/// </example>
public interface IReactorThreads : IReactorFromThreads
{
    /// <summary>Runs <paramref name="action"/> on a thread of the reactor's pool. Thread-safe.</summary>
    void CallInThread(Action action);

    /// <summary>Runs <paramref name="actions"/> one after another on a single pool thread.</summary>
    void CallMultipleInThread(IEnumerable<Action> actions);

    /// <summary>Runs <paramref name="function"/> on a pool thread; the Deferred fires on the reactor thread.</summary>
    Deferred<T> DeferToThread<T>(Func<T> function);

    /// <summary>Runs <paramref name="action"/> on a pool thread; the Deferred fires on the reactor thread when it is done.</summary>
    Deferred<Unit> DeferToThread(Action action);

    /// <summary>Sets the most threads the pool runs at once (Twisted's <c>suggestThreadPoolSize</c>).</summary>
    void SuggestThreadPoolSize(int size);

    /// <summary>The pool size last suggested (the default until <see cref="SuggestThreadPoolSize"/> is called).</summary>
    int SuggestedThreadPoolSize { get; }

    /// <summary>The reactor's thread pool, made on first use (Twisted's <c>getThreadPool</c>).</summary>
    ReactorThreadPool GetThreadPool();
}
