using System.Runtime.CompilerServices;

namespace Twine.Defer;

/// <summary>
/// Implemented by Deferred awaiters so that async Deferred methods know what they are waiting on (IC7). The builder
/// reads the Deferred without boxing by reinterpreting the awaiter, so an implementor must be a struct whose only
/// field is the awaited Deferred.
/// </summary>
internal interface IDeferredAwaiter
{
    Deferred Awaited { get; }
}

/// <summary>
/// Awaits a <see cref="Deferred{T}"/>. The continuation runs synchronously when the Deferred fires, inside its
/// callback chain, and <see cref="GetResult"/> consumes the result: callbacks added to the Deferred afterwards
/// receive <c>default(T)</c> and a failure is not reported as unhandled (IC4).
/// </summary>
public readonly struct DeferredAwaiter<T> : ICriticalNotifyCompletion, IDeferredAwaiter
{
    private readonly Deferred<T> _deferred;

    internal DeferredAwaiter(Deferred<T> deferred) => _deferred = deferred;

    Deferred IDeferredAwaiter.Awaited => _deferred;

    /// <summary>True when the Deferred has a final result, so no suspension is needed (IC5).</summary>
    public bool IsCompleted => _deferred.Root.IsSettled;

    /// <summary>Returns the value, or throws the failure's original exception; consumes the result.</summary>
    public T GetResult()
    {
        var deferred = _deferred;
        var root = deferred.Root;
        var failure = root._failure;
        var value = deferred._value;
        if (root.IsPlainRoot)
        {
            // No side object means no typed views (so the awaited Deferred is the root and holds the current value)
            // and no debug record: Consume without its virtual ClearValue and null checks.
            deferred._value = default!;
            root._failure = null;
        }
        else
        {
            root.Consume();
        }
        failure?.RaiseException();
        return value;
    }

    /// <inheritdoc />
    public void OnCompleted(Action continuation) => _deferred.Root.Append(new AwaitLink(continuation));

    /// <inheritdoc />
    public void UnsafeOnCompleted(Action continuation) => OnCompleted(continuation);
}

/// <summary>Awaits any <see cref="Deferred"/> for its outcome only; see <see cref="DeferredAwaiter{T}"/>.</summary>
public readonly struct DeferredAwaiter : ICriticalNotifyCompletion, IDeferredAwaiter
{
    private readonly Deferred _deferred;

    internal DeferredAwaiter(Deferred deferred) => _deferred = deferred;

    Deferred IDeferredAwaiter.Awaited => _deferred;

    /// <summary>True when the Deferred has a final result.</summary>
    public bool IsCompleted => _deferred.Root.IsSettled;

    /// <summary>Throws the failure's original exception, if any; consumes the result.</summary>
    public void GetResult()
    {
        var root = _deferred.Root;
        var failure = root._failure;
        root.Consume();
        failure?.RaiseException();
    }

    /// <inheritdoc />
    public void OnCompleted(Action continuation) => _deferred.Root.Append(new AwaitLink(continuation));

    /// <inheritdoc />
    public void UnsafeOnCompleted(Action continuation) => OnCompleted(continuation);
}
