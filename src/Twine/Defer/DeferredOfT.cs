using System.Runtime.CompilerServices;

namespace Twine.Defer;

/// <summary>
/// A result of type <typeparamref name="T"/> that is not there yet, with a chain of callbacks and errbacks that
/// process it when it arrives. Callbacks run synchronously when the Deferred fires, or at once when added to a
/// fired one; a callback returning a Deferred pauses the chain until that one fires.
/// </summary>
/// <example>
/// <code>
/// Deferred&lt;int&gt; SlowMultiply(IReactorTime clock, int x, int y)
/// {
///     var d = new Deferred&lt;int&gt;();
///     clock.CallLater(TimeSpan.FromSeconds(3), () => d.Callback(x * y));
///     return d;
/// }
///
/// SlowMultiply(reactor, 5, 7)
///     .AddCallback(r => $"... result is {r}!")      // changes type: Deferred&lt;string&gt;
///     .AddCallback(s => Console.WriteLine(s))        // no value: Deferred&lt;Unit&gt;
///     .AddErrback(f => { f.Trap&lt;TimeoutException&gt;(); Console.WriteLine("too slow"); });
/// </code>
/// </example>
[AsyncMethodBuilder(typeof(DeferredMethodBuilder<>))]
public class Deferred<T> : Deferred
{
    internal T _value = default!;

    /// <summary>Creates an unfired Deferred with no canceller.</summary>
    public Deferred() { }

    /// <summary>Creates an unfired Deferred whose <see cref="Deferred.Cancel"/> calls <paramref name="canceller"/> (C1).</summary>
    public Deferred(Action<Deferred<T>>? canceller)
    {
        if (canceller is not null) Extras.Canceller = canceller;
    }

    /// <summary>A view of <paramref name="root"/>'s chain at result type <typeparamref name="T"/>.</summary>
    private protected Deferred(Deferred root) : base(root) { }

    internal static Deferred<T> View(Deferred root) => new(root);

    /// <inheritdoc />
    public override Type ResultType => typeof(T);

    /// <summary>
    /// The current result (D9): the value or failure the next callback would receive. Throws when the Deferred has
    /// not fired, or when this reference is not the chain's current end.
    /// </summary>
    public Outcome<T> Result
    {
        get
        {
            var root = Root;
            if ((root._flags & Flags.Called) == 0) throw new InvalidOperationException("The Deferred has no result yet.");
            if ((root._flags & Flags.Waiting) != 0) throw new InvalidOperationException("The Deferred is waiting on a chained Deferred.");
            if ((root.CurrentView ?? root) != this) throw new InvalidOperationException("This reference is not the chain's current result.");
            return root._failure is { } f ? new Outcome<T>(f) : new Outcome<T>(_value);
        }
    }

    // ---- firing ---------------------------------------------------------------------------------------------

    /// <summary>Fires the Deferred with a value (D1). Only the Deferred that started the chain can be fired.</summary>
    public void Callback(T value)
    {
        if ((_flags & Flags.View) != 0) throw NotTheRoot();
        if (!typeof(T).IsValueType)
        {
            if (value is Deferred) throw new ArgumentException("A Deferred cannot be fired with another Deferred (D7); chain it from a callback instead.", nameof(value));
            // Twisted's callback(aFailure) is errback(aFailure) (D7): a chain never holds a Failure as a success value.
            if (value is Failure failure)
            {
                FireFailure(failure);
                return;
            }
        }
        // Fast path (Deferred.Succeed, a synchronously finished async method, a Deferred fired before anyone
        // listened): nothing to run and nothing recorded, so RunCallbacks and BeginFire would only set the flag.
        if (_flags == Flags.None && _first is null && _paused == 0 && IsPlainRoot && !Debug)
        {
            _value = value;
            _flags = Flags.Called;
            return;
        }
        if (!BeginFire()) return;
        _value = value;
        CurrentView = null;
        RunCallbacks();
    }

    /// <summary>Fires the Deferred with a failure wrapping <paramref name="exception"/> (D7).</summary>
    public void Errback(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Errback(new Failure(exception));
    }

    /// <summary>Fires the Deferred with a failure (D1).</summary>
    public void Errback(Failure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if ((_flags & Flags.View) != 0) throw NotTheRoot();
        FireFailure(failure);
    }

    private static InvalidOperationException NotTheRoot() =>
        new("Only the Deferred that started the chain can be fired; this one was returned by a callback.");

    private protected override bool InvokeCanceller(out bool firesLater)
    {
        firesLater = false;
        // Only the constructor stores a canceller, always an Action<Deferred<T>> for this T.
        if (ExtrasOrNull?.Canceller is not { } canceller) return InvokeCustomCanceller(out firesLater);
        Unsafe.As<Action<Deferred<T>>>(canceller)(this);
        return true;
    }

    /// <summary>For Deferreds that cancel in their own way (async methods): false when there is no canceller.</summary>
    private protected virtual bool InvokeCustomCanceller(out bool firesLater)
    {
        firesLater = false;
        return false;
    }

    internal override void ClearValue() => _value = default!;

    internal override bool TryGetValueAs<TTarget>(out TTarget value, out Exception? mismatch)
    {
        mismatch = null;
        if (_value is TTarget fits)
        {
            value = fits;
            return true;
        }
        if (_value is null && default(TTarget) is null)
        {
            value = default!;
            return true;
        }
        value = default!;
        if (typeof(TTarget).IsAssignableFrom(typeof(Deferred<T>)))
        {
            // The chain's declared type is a Deferred (an explicit AddCallback<Deferred<T>>, or generic code whose
            // type argument is one): it cannot hold the result itself, so it gets the result in a fired Deferred.
            var fired = new Deferred<T>();
            fired._value = _value;
            fired._flags = Flags.Called;
            value = (TTarget)(object)fired;
            return true;
        }
        mismatch = new InvalidCastException(
            $"A callback returned a Deferred<{typeof(T).Name}> to a chain of {typeof(TTarget).Name}, which cannot hold its " +
            $"result ({_value?.GetType().Name ?? "null"}). Return the Deferred from a callback typed Func<..., Deferred<{typeof(T).Name}>>.");
        return false;
    }

    private protected override string DescribeValue() => _value?.ToString() ?? "null";

    // ---- callbacks ------------------------------------------------------------------------------------------

    /// <summary>Adds a callback that keeps the type; returns this Deferred (D2).</summary>
    public Deferred<T> AddCallback(Func<T, T> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var root = CheckTail();
        // The chain's last link is one that has not started running (a running last link is already off the list),
        // so a same-type link with a free slot can take this callback without a link of its own.
        if (root._last is SameTypeLink<T> { Second: null } last)
        {
            last.Second = callback;
            // Normally pending links mean the chain is unfired, paused or running; but after an exception escaped
            // a link (an awaiter's continuation) the rest waits for the next addition, as with Append.
            root.RunIfIdle();
        }
        else
        {
            root.Append(new SameTypeLink<T>(callback));
        }
        return this;
    }

    /// <summary>Adds a callback that changes the result type; returns the chain as <c>Deferred&lt;TNext&gt;</c>.</summary>
    public Deferred<TNext> AddCallback<TNext>(Func<T, TNext> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return AddCallbacks(callback, null);
    }

    /// <summary>Adds a callback that returns a Deferred: the chain waits for it and continues with its result (CH1).</summary>
    public Deferred<TNext> AddCallback<TNext>(Func<T, Deferred<TNext>> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return AddCallbacks(callback, null);
    }

    /// <summary>Adds a callback that returns nothing; the chain continues without a value (<c>Deferred&lt;Unit&gt;</c>).</summary>
    public Deferred<Unit> AddCallback(Action<T> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return AddCallbacks(v => { callback(v); return Unit.Value; }, null);
    }

    /// <summary>Adds a callback/errback pair (D2); whichever runs, its return value is the new result.</summary>
    public Deferred<TNext> AddCallbacks<TNext>(Func<T, TNext>? callback, Func<Failure, TNext>? errback)
    {
        var root = CheckTail();
        var target = Next<TNext>(root);
        if (callback is null && !ReferenceEquals(target, this)) throw new ArgumentNullException(nameof(callback), "A callback is needed when the result type changes.");
        root.Append(new MapLink<T, TNext>(callback, errback, target));
        return target;
    }

    /// <summary>Adds a callback/errback pair, either of which may return a Deferred to wait for (CH1).</summary>
    public Deferred<TNext> AddCallbacks<TNext>(Func<T, Deferred<TNext>>? callback, Func<Failure, Deferred<TNext>>? errback)
    {
        var root = CheckTail();
        var target = Next<TNext>(root);
        if (callback is null && !ReferenceEquals(target, this)) throw new ArgumentNullException(nameof(callback), "A callback is needed when the result type changes.");
        root.Append(new ChainLink<T, TNext>(callback, errback, target));
        return target;
    }

    /// <summary>
    /// Adds a pair whose callback returns a Deferred to wait for (CH1) and whose errback recovers with a value (D3):
    /// Twisted's <c>addCallbacks(fetch, fallback)</c>.
    /// </summary>
    /// <remarks>Considered only when neither the all-value nor the all-Deferred pair fits, so existing calls bind as before.</remarks>
    /// <example>
    /// <code>
    /// Deferred&lt;string&gt; page = url.AddCallbacks(u => client.Get(u), f => "offline");
    /// </code>
    /// </example>
    [OverloadResolutionPriority(-1)]
    public Deferred<TNext> AddCallbacks<TNext>(Func<T, Deferred<TNext>> callback, Func<Failure, TNext> errback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ArgumentNullException.ThrowIfNull(errback);
        return AddCallbacks(callback, f => Settled(errback(f)));
    }

    /// <summary>Adds a pair whose callback returns a value (D3) and whose errback recovers by waiting on a Deferred (CH1).</summary>
    /// <remarks>Considered only when neither the all-value nor the all-Deferred pair fits, so existing calls bind as before.</remarks>
    /// <example>
    /// <code>
    /// Deferred&lt;string&gt; page = cached.AddCallbacks(text => text.Trim(), f => client.Get(url));
    /// </code>
    /// </example>
    [OverloadResolutionPriority(-1)]
    public Deferred<TNext> AddCallbacks<TNext>(Func<T, TNext> callback, Func<Failure, Deferred<TNext>> errback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ArgumentNullException.ThrowIfNull(errback);
        return AddCallbacks(v => Settled(callback(v)), errback);
    }

    /// <summary>
    /// A fired Deferred holding what a value-returning half of a mixed pair returned. It passes through a same-type
    /// callback so that a <see cref="Failure"/> or a Deferred returned as a value means what it means anywhere (D3, CH1).
    /// </summary>
    private static Deferred<TNext> Settled<TNext>(TNext value)
    {
        var d = new Deferred<TNext>();
        d.Callback(default!);
        return d.AddCallback(_ => value);
    }

    /// <summary>Adds a callback/errback pair that return nothing: the tutorials' <c>addCallbacks(success, failure)</c>.</summary>
    public Deferred<Unit> AddCallbacks(Action<T> callback, Action<Failure> errback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ArgumentNullException.ThrowIfNull(errback);
        return AddCallbacks(v => { callback(v); return Unit.Value; }, f => { errback(f); return Unit.Value; });
    }

    /// <summary>
    /// Adds an errback that recovers with a value (D3). To pass the failure on instead, re-throw it
    /// (<see cref="Failure.Trap{TException}"/> does).
    /// </summary>
    /// <remarks>
    /// Preferred over the Deferred-returning overload when both fit, so that <c>f =&gt; throw ...</c> and
    /// <c>f =&gt; null</c> compile and mean what they say. On a <c>Deferred&lt;object&gt;</c> a lambda returning a
    /// Deferred therefore binds here too; declare it as <c>Func&lt;Failure, Deferred&lt;object&gt;&gt;</c> to wait on it.
    /// </remarks>
    [OverloadResolutionPriority(1)]
    public Deferred<T> AddErrback(Func<Failure, T> errback)
    {
        ArgumentNullException.ThrowIfNull(errback);
        return AddCallbacks(null, errback);
    }

    /// <summary>Adds an errback that recovers by waiting on another Deferred (CH1).</summary>
    public Deferred<T> AddErrback(Func<Failure, Deferred<T>> errback)
    {
        ArgumentNullException.ThrowIfNull(errback);
        return AddCallbacks(null, errback);
    }

    /// <summary>
    /// Adds an errback that returns nothing. Returning normally recovers the chain with <c>default(T)</c>, as a
    /// Twisted errback returning <c>None</c> does; re-throw (or <see cref="Failure.Trap{TException}"/>) to pass it on.
    /// </summary>
    public override Deferred<T> AddErrback(Action<Failure> errback)
    {
        ArgumentNullException.ThrowIfNull(errback);
        return AddCallbacks(null, f => { errback(f); return default(T)!; });
    }

    /// <summary>Adds one function for both outcomes (D2); its return value is the new result.</summary>
    public Deferred<TNext> AddBoth<TNext>(Func<Outcome<T>, TNext> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return AddCallbacks(v => callback(new Outcome<T>(v)), f => callback(new Outcome<T>(f)));
    }

    /// <summary>
    /// Adds one function for both outcomes that returns a Deferred: the chain waits for it and continues with its
    /// result (D2, CH1), as Twisted's <c>addBoth</c> does when the function returns a Deferred.
    /// </summary>
    /// <example>
    /// <code>
    /// Deferred&lt;string&gt; retried = fetch.AddBoth(o => o.Succeeded ? Deferred.Succeed(o.Value) : FetchAgain());
    /// </code>
    /// </example>
    public Deferred<TNext> AddBoth<TNext>(Func<Outcome<T>, Deferred<TNext>> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return AddCallbacks(v => callback(new Outcome<T>(v)), f => callback(new Outcome<T>(f)));
    }

    /// <summary>Adds one action for both outcomes; the chain continues without a value and recovers from a failure.</summary>
    public Deferred<Unit> AddBoth(Action<Outcome<T>> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return AddBoth(o => { callback(o); return Unit.Value; });
    }

    /// <summary>
    /// Adds an action that runs on either outcome and leaves the outcome as it was (a <c>finally</c>). If the action
    /// throws, its exception becomes the result.
    /// </summary>
    public Deferred<T> AddFinally(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        CheckTail().Append(new TapLink<T>((_, _) => action()));
        return this;
    }

    /// <summary>
    /// Fires <paramref name="other"/> with this chain's result (CH8): <c>AddCallbacks(other.Callback, other.Errback)</c>.
    /// Later callbacks on this chain receive <c>default(T)</c>, as Twisted's receive <c>None</c>. Unlike a callback
    /// that returns a Deferred, this is not stack-safe for very long chains.
    /// </summary>
    public Deferred<T> ChainDeferred(Deferred<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        other.Root.Chained = Root;
        return AddCallbacks(v => { other.Callback(v); return default(T)!; }, f => { other.Errback(f); return default(T)!; });
    }

    /// <summary>
    /// The mechanism behind <c>AddTimeout</c>, which lives with time (<c>Twine.Time.DeferredTimeouts</c>) so that
    /// Deferreds do not depend on clocks: <paramref name="arm"/> starts a timer that calls the action it is given,
    /// and returns the action that disarms it. Only callbacks added before this call see the
    /// <see cref="CancelledException"/>; after them, a cancellation caused by the timer becomes a
    /// <see cref="DeferredTimeoutException"/> (or whatever <paramref name="onTimeoutCancel"/> returns or throws).
    /// </summary>
    internal Deferred<T> CancelWhen(TimeSpan timeout, Func<Action, Action> arm, Func<Outcome<T>, TimeSpan, T>? onTimeoutCancel)
    {
        var root = CheckTail();
        bool timedOut = false;
        var disarm = arm(() => { timedOut = true; Cancel(); });
        root.Append(new TapLink<T>((view, chain) =>
        {
            disarm();
            if (!timedOut) return;
            var outcome = chain._failure is { } f ? new Outcome<T>(f) : new Outcome<T>(view._value);
            if (onTimeoutCancel is not null)
            {
                chain.SetValue(view, onTimeoutCancel(outcome, timeout));
            }
            else if (chain._failure?.Value is CancelledException)
            {
                chain._failure = new Failure(new DeferredTimeoutException(timeout));
            }
        }));
        return this;
    }

    private protected override Deferred<TNext> MapAny<TNext>(Func<TNext> callback, Func<Failure, TNext>? errback) =>
        AddCallbacks(_ => callback(), errback);

    private protected override Deferred<TNext> ChainAny<TNext>(Func<Deferred<TNext>> callback, Func<Failure, Deferred<TNext>>? errback) =>
        AddCallbacks(_ => callback(), errback);

    /// <summary>The view that follows this one after a callback producing <typeparamref name="TNext"/>.</summary>
    private Deferred<TNext> Next<TNext>(Deferred root)
    {
        if (typeof(TNext) == typeof(T)) return Unsafe.As<Deferred<TNext>>(this);
        var view = Deferred<TNext>.View(root);
        root.SetTail(view);
        return view;
    }

    // ---- await ----------------------------------------------------------------------------------------------

    /// <summary>Lets <c>await</c> wait for the result. Awaiting consumes it: later callbacks see <c>default(T)</c> (IC4).</summary>
    public new DeferredAwaiter<T> GetAwaiter()
    {
        CheckTail();
        return new DeferredAwaiter<T>(this);
    }
}
