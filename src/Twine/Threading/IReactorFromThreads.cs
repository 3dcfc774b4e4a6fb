namespace Twine.Threading;

/// <summary>
/// The one thread-safe door into a reactor (Twisted's <c>IReactorFromThreads</c>): other threads hand it work, which
/// then runs on the reactor thread. Implemented by <c>Reactor</c> and by <c>Twine.Testing.MemoryReactor</c>.
/// </summary>
/// <example>
/// <code>
/// void OnWorkerThread(IReactorFromThreads reactor, Deferred&lt;string&gt; d) =>
///     reactor.CallFromThread(() => d.Callback(File.ReadAllText("data.txt")));
/// </code>
/// </example>
public interface IReactorFromThreads
{
    /// <summary>Runs <paramref name="action"/> on the reactor thread, soon, in the order calls were made. Thread-safe.</summary>
    void CallFromThread(Action action);

    /// <summary>As <see cref="CallFromThread(Action)"/>, passing <paramref name="state"/> without a closure.</summary>
    void CallFromThread<TState>(Action<TState> action, TState state);
}
