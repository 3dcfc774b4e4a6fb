using System.Runtime.CompilerServices;

namespace Twine.Defer;

/// <summary>
/// A Deferred: a result that is not there yet, with a chain of callbacks and errbacks that process it when it
/// arrives (Twisted's <c>Deferred</c>). This non-generic base is what every <see cref="Deferred{T}"/> is, what
/// <c>async Deferred</c> methods return, and where the static helpers live.
/// </summary>
/// <remarks>
/// <para>A chain is one <em>root</em> Deferred (the one created, and the one fired) plus one <em>view</em> per
/// result type the chain moved through: a callback that changes the result type returns a new
/// <see cref="Deferred{T}"/> view of the same chain. The root holds the chain's state; each view holds a value of
/// its own type, so value types are never boxed.</para>
/// <para>Deferreds are not thread-safe: fire and extend them on one thread (the reactor's). Threads hand results
/// over with the reactor's <c>CallFromThread</c>.</para>
/// </remarks>
/// <example>
/// <code>
/// async Deferred Tick(IReactorTime clock)
/// {
///     await clock.Sleep(TimeSpan.FromSeconds(1));
///     Console.WriteLine("tick");
/// }
/// </code>
/// </example>
[AsyncMethodBuilder(typeof(DeferredMethodBuilder))]
public abstract partial class Deferred
{
    [Flags]
    internal enum Flags : byte
    {
        None = 0,
        /// <summary>A result has been given (D1).</summary>
        Called = 1,
        /// <summary>A link is running: adds append, they do not recurse (D6).</summary>
        Running = 2,
        /// <summary>Cancelled without a canceller: the next single Callback/Errback is swallowed (C3).</summary>
        SuppressOnce = 4,
        /// <summary>
        /// Paused on a Deferred returned by one of its callbacks (CH1): Twisted's "result is a Deferred". Not set by
        /// <c>ChainDeferred</c>, which records <c>ChainedTo</c> on the Deferred it fires but does not make it wait (CH8).
        /// </summary>
        Waiting = 8,
        /// <summary>This Deferred is a typed view of another's chain (set at construction, never on a root).</summary>
        View = 16,
    }

    // One field for two roles, so that a Deferred<int> is 64 bytes rather than 72: for a view, the root whose state
    // it shares; for a root, its side object (null until first needed). Everything a plain "create, add callbacks,
    // fire" Deferred never needs (typed views, chaining, canceller, debug/unhandled tracking) lives in that side
    // object; see DeferredExtras.
    private object? _rootOrExtras;

    // The fields below are used on the root only.
    internal Link? _first;
    internal Link? _last;
    internal Failure? _failure;          // non-null: the chain is on the error path
    internal int _paused;
    internal Flags _flags;

    private protected Deferred()
    {
        if (Debug) Extras.Debug = new DebugInfo(captureCreator: true);
    }

    private protected Deferred(Deferred root)
    {
        _rootOrExtras = root;
        _flags = Flags.View;
    }

    /// <summary>For a view, the root whose chain it views; null for a root.</summary>
    private protected Deferred? RootOrNull => (_flags & Flags.View) != 0 ? Unsafe.As<Deferred>(_rootOrExtras) : null;

    internal Deferred Root => (_flags & Flags.View) != 0 ? Unsafe.As<Deferred>(_rootOrExtras!) : this;

    /// <summary>
    /// True for a root that has never needed its side object: never changed type, chained, debugged or failed, and
    /// has no canceller. Such a root is its own tail and current view.
    /// </summary>
    internal bool IsPlainRoot => _rootOrExtras is null;

    /// <summary>The root's side object, or null (always null on a view).</summary>
    internal DeferredExtras? ExtrasOrNull => _rootOrExtras as DeferredExtras;

    /// <summary>The root's side object, created on first write. Only called on a root.</summary>
    internal DeferredExtras Extras
    {
        get
        {
            System.Diagnostics.Debug.Assert((_flags & Flags.View) == 0, "Views have no side object.");
            return ExtrasOrNull ?? (DeferredExtras)(_rootOrExtras = new DeferredExtras());
        }
    }

    /// <summary>View holding the current success value; null means the root.</summary>
    internal Deferred? CurrentView
    {
        get => ExtrasOrNull?.Current;
        // Writing null where nothing was ever recorded needs no side object.
        set { if (value is not null || ExtrasOrNull is not null) Extras.Current = value; }
    }

    /// <summary>View that accepts new callbacks; null means the root.</summary>
    internal Deferred? TailView => ExtrasOrNull?.Tail;

    /// <summary>The Deferred this chain is waiting on (CH1, CH7), or that fires it (CH8).</summary>
    internal Deferred? Chained
    {
        get => ExtrasOrNull?.ChainedTo;
        set { if (value is not null || ExtrasOrNull is not null) Extras.ChainedTo = value; }
    }

    /// <summary>Creator/invoker stacks and unhandled-failure tracking (D10, L1).</summary>
    internal DebugInfo? DebugRecord => ExtrasOrNull?.Debug;

    /// <summary>True once the Deferred has been given a result (D9), whether or not its callbacks have run.</summary>
    public bool Called => (Root._flags & Flags.Called) != 0;

    /// <summary>How many <see cref="Pause"/> calls are outstanding, including the implicit pause of waiting on a chained Deferred (D8, CH1).</summary>
    public int Paused => Root._paused;

    /// <summary>True when the chain is waiting on another Deferred returned by one of its callbacks (CH1).</summary>
    public bool IsWaiting => (Root._flags & Flags.Waiting) != 0;

    /// <summary>True when the chain's current result is a failure.</summary>
    public bool IsFailed => Root._failure is not null;

    /// <summary>The Deferred this one is waiting on (CH1, CH7), or the one that will fire it through <c>ChainDeferred</c> (CH8); cleared once it runs.</summary>
    public Deferred? ChainedTo => Root.Chained;

    /// <summary>The type of the chain's current end: what the next callback receives.</summary>
    public abstract Type ResultType { get; }

    /// <summary>Stops callbacks from running until a matching <see cref="Unpause"/> (D8).</summary>
    public void Pause() => Root._paused++;

    /// <summary>Undoes one <see cref="Pause"/>; runs pending callbacks once no pause remains (D8).</summary>
    public void Unpause()
    {
        var root = Root;
        if (root._paused == 0) throw new InvalidOperationException("Unpause called on a Deferred that is not paused.");
        root._paused--;
        if (root._paused == 0 && (root._flags & Flags.Called) != 0) root.RunCallbacks();
    }

    /// <summary>
    /// Cancels the operation (C1–C5). An unfired Deferred calls its canceller, then fails with
    /// <see cref="CancelledException"/> unless the canceller fired it. Without a canceller, the next single
    /// Callback/Errback is ignored. A fired Deferred does nothing, unless it is waiting on a chained Deferred, which is
    /// cancelled instead.
    /// </summary>
    public void Cancel()
    {
        var root = Root;
        if ((root._flags & Flags.Called) == 0)
        {
            bool handled = root.InvokeCanceller(out bool firesLater);
            if (!handled) root._flags |= Flags.SuppressOnce;
            if ((root._flags & Flags.Called) == 0 && !firesLater) root.FireFailure(new Failure(new CancelledException()));
        }
        else
        {
            if ((root._flags & Flags.Waiting) != 0) root.Chained?.Cancel();
        }
    }

    /// <summary>Calls the root's canceller; false when there is none. <paramref name="firesLater"/>: the owner fires the Deferred itself (async methods, IC7).</summary>
    private protected abstract bool InvokeCanceller(out bool firesLater);

    /// <summary>Sets the view's value to its type's default: the result has been consumed (CH2, IC4).</summary>
    internal abstract void ClearValue();

    /// <summary>Fires the root with a failure (used by Cancel, Errback and the typed views).</summary>
    internal void FireFailure(Failure failure)
    {
        var root = Root;
        if (!root.BeginFire()) return;
        root._failure = failure;
        root.CurrentView = null;
        root.RunCallbacks();
    }

    /// <summary>Marks the root called; false when a cancelled Deferred swallows this late result (C3).</summary>
    private protected bool BeginFire()
    {
        if ((_flags & Flags.Called) != 0)
        {
            if ((_flags & Flags.SuppressOnce) != 0)
            {
                _flags &= ~Flags.SuppressOnce;
                return false;
            }
            throw new AlreadyCalledException(DebugRecord?.Describe());
        }
        _flags |= Flags.Called;
        if (Debug) (Extras.Debug ??= new DebugInfo(captureCreator: false)).RecordInvoker();
        return true;
    }

    /// <summary>Throws when callbacks are added through a view the chain has moved past.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Deferred CheckTail()
    {
        // A root without a side object has never changed type, so it is its own tail: the common case, inlined.
        if (_rootOrExtras is null) return this;
        return CheckTailSlow();
    }

    private Deferred CheckTailSlow()
    {
        var root = Root;
        var tail = root.TailView ?? root;
        if (tail != this) throw new StaleDeferredException(ResultType, tail.ResultType);
        return root;
    }

    /// <summary>Appends a link to the root's chain and runs it at once if the chain has fired (D4).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Append(Link link)
    {
        if (_last is null) _first = link;
        else _last.Next = link;
        _last = link;
        RunIfIdle();
    }

    /// <summary>Runs newly added callbacks at once when the chain has fired and nothing holds it (D4).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void RunIfIdle()
    {
        if ((_flags & (Flags.Called | Flags.Running)) == Flags.Called && _paused == 0) RunCallbacks();
    }

    /// <summary>Records a new end of the chain after a type-changing callback.</summary>
    internal void SetTail(Deferred view) => Extras.Tail = view;

    /// <summary>True when the chain has a final result: fired, not paused, not running, no callbacks left.</summary>
    internal bool IsSettled =>
        (_flags & (Flags.Called | Flags.Running)) == Flags.Called && _paused == 0 && _first is null;

    /// <summary>Records that the result has been handed on (chaining, await): it will not be reported as unhandled (CH3, L2).</summary>
    internal void Consume()
    {
        (CurrentView ?? this).ClearValue();
        _failure = null;
        DebugRecord?.ClearFailure();
    }

    /// <summary>
    /// Stores what a callback or errback returned as the chain's result. A <see cref="Failure"/> returned as a value
    /// puts the chain on the error path, and anything else puts it on the success path, as in Twisted (D3); this is
    /// how an errback on a reference-typed chain passes a failure on by returning it. A <see cref="Deferred"/>
    /// returned as a value makes the chain wait for it (CH1), whichever overload C# bound the callback to, because
    /// Twisted chains whenever the result <em>is</em> a Deferred.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void SetValue<T>(Deferred<T> view, T value)
    {
        // Only a reference type can hold a Failure or a Deferred; for value types the JIT removes both tests.
        if (!typeof(T).IsValueType)
        {
            if (value is Failure f)
            {
                _failure = f;
                view._value = default!;
                return;
            }
            if (value is Deferred inner)
            {
                ChainValue(view, inner);
                return;
            }
        }
        _failure = null;
        view._value = value;
    }

    /// <summary>Converts an exception from a callback into the chain's failure, keeping the current failure when it was simply re-thrown (FA4).</summary>
    internal void SetException(Exception e)
    {
        if (_failure is null || !ReferenceEquals(_failure.Value, e)) _failure = new Failure(e);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var root = Root;
        var id = $"Deferred<{ResultType.Name}> #{RuntimeHelpers.GetHashCode(root):x}";
        if (root.Chained is { } inner) return $"<{id} waiting on Deferred #{RuntimeHelpers.GetHashCode(inner.Root):x}>";
        if ((root._flags & Flags.Called) == 0) return $"<{id}>";
        return root._failure is { } f
            ? $"<{id} current result: {f}>"
            : $"<{id} current result: {(root.CurrentView ?? root).DescribeValue()}>";
    }

    private protected abstract string DescribeValue();
}
