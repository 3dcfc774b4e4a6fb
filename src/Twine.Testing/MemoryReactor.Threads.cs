using Twine.Defer;
using Twine.Threading;

namespace Twine.Testing;

// IReactorThreads on a fake reactor. A test runs on one thread and must not depend on thread scheduling, so every
// "other thread" here is the caller's own: work runs at once, in call order, and its exceptions reach the test.
public partial class MemoryReactor : IReactorThreads
{
    private ReactorThreadPool? _pool;
    private int _poolSize = 10;

    /// <summary>How many times <see cref="CallFromThread(Action)"/> (either overload) was called.</summary>
    public int ThreadCallCount { get; private set; }

    /// <summary>How many pieces of work <see cref="CallInThread"/> ran (a <see cref="CallMultipleInThread"/> counts once).</summary>
    public int PoolCallCount { get; private set; }

    /// <summary>Runs <paramref name="action"/> at once on the calling thread (deterministic; an exception propagates to the caller).</summary>
    public void CallFromThread(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        ThreadCallCount++;
        action();
    }

    /// <summary>As <see cref="CallFromThread(Action)"/>, passing <paramref name="state"/>.</summary>
    public void CallFromThread<TState>(Action<TState> action, TState state)
    {
        ArgumentNullException.ThrowIfNull(action);
        ThreadCallCount++;
        action(state);
    }

    /// <summary>Runs <paramref name="action"/> at once on the calling thread, as if a pool thread had been free (an exception propagates).</summary>
    public void CallInThread(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        PoolCallCount++;
        action();
    }

    /// <summary>Runs <paramref name="actions"/> at once, in order.</summary>
    public void CallMultipleInThread(IEnumerable<Action> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var list = actions.ToArray();
        CallInThread(() =>
        {
            foreach (var action in list) action();
        });
    }

    /// <summary>Runs <paramref name="function"/> at once; the returned Deferred has already fired with its result or exception.</summary>
    public Deferred<T> DeferToThread<T>(Func<T> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        PoolCallCount++;
        try
        {
            return Deferred.Succeed(function());
        }
        catch (Exception ex)
        {
            return Deferred.Fail<T>(ex);
        }
    }

    /// <summary>Runs <paramref name="action"/> at once; the returned Deferred has already fired.</summary>
    public Deferred<Unit> DeferToThread(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return DeferToThread(() =>
        {
            action();
            return Unit.Value;
        });
    }

    /// <summary>Records the size; <see cref="GetThreadPool"/>'s pool takes it too.</summary>
    public void SuggestThreadPoolSize(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _poolSize = size;
        if (_pool is { } pool) pool.MaxThreads = size;
    }

    /// <inheritdoc/>
    public int SuggestedThreadPoolSize => _poolSize;

    /// <summary>
    /// A real pool object, made on first use and never started by this reactor: <see cref="CallInThread"/> does not use
    /// it. Work a test gives it directly runs only if the test starts it (and the test should then <c>Stop</c> it).
    /// </summary>
    public ReactorThreadPool GetThreadPool() => _pool ??= new ReactorThreadPool(_poolSize);
}
