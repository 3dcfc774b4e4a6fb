namespace Twine.Defer;

// Callbacks that ignore the result's type: what you can add when all you hold is a Deferred (for example the
// result of an `async Deferred` method).
public abstract partial class Deferred
{
    /// <summary>Adds a callback that ignores the result and returns nothing.</summary>
    public Deferred<Unit> AddCallback(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return MapAny(() => { callback(); return Unit.Value; });
    }

    /// <summary>Adds a callback that ignores the result and produces a new one.</summary>
    public Deferred<TNext> AddCallback<TNext>(Func<TNext> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return MapAny(callback);
    }

    /// <summary>Adds a callback that ignores the result and returns a Deferred to wait for (CH1).</summary>
    public Deferred<TNext> AddCallback<TNext>(Func<Deferred<TNext>> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return ChainAny(callback);
    }

    /// <summary>Adds an errback that returns nothing; returning normally recovers the chain (D3).</summary>
    public abstract Deferred AddErrback(Action<Failure> errback);

    /// <summary>Adds an action for both outcomes (Twisted's <c>addBoth(lambda _: ...)</c>); the chain recovers and continues without a value.</summary>
    public Deferred<Unit> AddBoth(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return MapAny(() => { callback(); return Unit.Value; }, _ => { callback(); return Unit.Value; });
    }

    /// <summary>Adds a function for both outcomes that ignores the result and produces a new one (D2).</summary>
    public Deferred<TNext> AddBoth<TNext>(Func<TNext> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return MapAny(callback, _ => callback());
    }

    /// <summary>Adds a function for both outcomes that returns a Deferred to wait for (D2, CH1).</summary>
    public Deferred<TNext> AddBoth<TNext>(Func<Deferred<TNext>> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return ChainAny(callback, _ => callback());
    }

    private protected abstract Deferred<TNext> MapAny<TNext>(Func<TNext> callback, Func<Failure, TNext>? errback = null);

    private protected abstract Deferred<TNext> ChainAny<TNext>(Func<Deferred<TNext>> callback, Func<Failure, Deferred<TNext>>? errback = null);

    /// <summary>Lets <c>await</c> wait for the chain; throws the failure's original exception. Consumes the result (IC4).</summary>
    public DeferredAwaiter GetAwaiter()
    {
        CheckTail();
        return new DeferredAwaiter(this);
    }
}
