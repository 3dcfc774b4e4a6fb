using System.Runtime.CompilerServices;

namespace Twine.Defer;

/// <summary>
/// Awaits a <see cref="Promise{T}"/>. <see cref="IsCompleted"/> is always false, so the code after an <c>await</c>
/// always runs later, on the promise's scheduler (never synchronously, even for a settled promise: the A+ rule for
/// handlers applies to <c>await</c> too). Awaiting counts as handling a rejection.
/// </summary>
/// <example>
/// <code>
/// async Deferred&lt;int&gt; Twice(Promise&lt;int&gt; p) => 2 * await p;
/// </code>
/// </example>
public readonly struct PromiseAwaiter<T> : ICriticalNotifyCompletion
{
    private readonly Promise<T> _promise;

    internal PromiseAwaiter(Promise<T> promise) => _promise = promise;

    /// <summary>Always false: the continuation is queued on the promise's scheduler.</summary>
    public bool IsCompleted => false;

    /// <summary>The value, or the reason's original exception re-thrown with its original stack.</summary>
    /// <exception cref="InvalidOperationException">The promise has not settled (GetResult was called directly, not by <c>await</c>).</exception>
    public T GetResult()
    {
        switch (_promise.State)
        {
            case PromiseState.Fulfilled:
                return _promise.Value;
            case PromiseState.Rejected:
                _promise.Reason!.RaiseException();
                break;
        }
        throw new InvalidOperationException("The promise has not settled yet; await it instead of reading its result.");
    }

    /// <summary>Queues <paramref name="continuation"/> for when the promise settles, flowing the execution context.</summary>
    public void OnCompleted(Action continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        _promise.Subscribe(new AwaitReaction<T>(continuation, ExecutionContext.Capture()));
    }

    /// <summary>Queues <paramref name="continuation"/> for when the promise settles (the async method builder flows the context itself).</summary>
    public void UnsafeOnCompleted(Action continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        _promise.Subscribe(new AwaitReaction<T>(continuation, null));
    }
}
