using System.Runtime.CompilerServices;

namespace Twine.Defer;

/// <summary>
/// A read-only Promises/A+ promise of a <typeparamref name="T"/>: the value, or the reason it failed, of work that
/// is not done yet. Unlike a <see cref="Deferred{T}"/>, a promise has no callback chain to mutate and cannot be fired
/// by whoever holds it: <see cref="Then{TNext}(Func{T, TNext}, Func{Failure, TNext})"/>, <c>Catch</c> and
/// <c>Finally</c> each return a <em>new</em> promise, any number of handlers may watch the same one, and handlers
/// always run asynchronously, in the order they were added, on the promise's <see cref="ICallSoon"/> scheduler.
/// </summary>
/// <remarks>
/// <para><b>Reasons are <see cref="Failure"/>s</b>, as on Deferreds: <c>Catch</c> handlers receive the
/// <see cref="Failure"/> (use <see cref="Failure.Check{T}"/>/<see cref="Failure.Trap{T}"/>, or
/// <c>Catch&lt;TException&gt;</c>), a handler that throws rejects the next promise with what it threw, and a handler
/// that re-throws the failure's own exception passes the very same <see cref="Failure"/> on.</para>
/// <para><b>Scheduler.</b> Each promise captures an <see cref="ICallSoon"/> when it is created: the one passed
/// explicitly, else <see cref="Promise.DefaultScheduler"/> (set by the running reactor on its thread). Promises made
/// by <c>Then</c>/<c>Catch</c>/<c>Finally</c> use their parent's. With no scheduler at all, creation throws.</para>
/// <para><b>Threads.</b> Like Deferreds, promises are not thread-safe: create, settle and extend them on the
/// scheduler's thread.</para>
/// <para><b>Unhandled rejections.</b> A promise that is rejected and garbage-collected without ever having had a
/// handler (<c>Then</c>, <c>Catch</c>, <c>Finally</c>, <c>await</c>, a combinator) is reported to the log and to
/// <see cref="Promise.UnhandledRejection"/>, like a Deferred's unhandled failure (L1).</para>
/// </remarks>
/// <example>
/// <code>
/// Promise&lt;string&gt; Greeting(IReactorTime time) => new((resolve, reject) =>
///     time.CallLater(TimeSpan.FromSeconds(1), () => resolve("hello")));
///
/// Greeting(reactor)
///     .Then(s => s.Length)                       // Promise&lt;int&gt;
///     .Then(n => Console.WriteLine(n))           // Promise&lt;Unit&gt;
///     .Catch(f => Console.WriteLine("failed: " + f.GetErrorMessage()));
/// </code>
/// </example>
public sealed partial class Promise<T>
{
    private readonly ICallSoon _scheduler;
    private T _value = default!;
    private Failure? _reason;
    private PromiseState _state;
    private bool _observed;
    // Reactions in registration order (2.2.6): most promises have exactly one, so it needs no list.
    private PromiseReaction<T>? _first;
    private List<PromiseReaction<T>>? _rest;
    private RejectionTracker? _tracker;

    /// <summary>
    /// Creates a promise and runs <paramref name="executor"/> at once, synchronously, with functions that resolve or
    /// reject it. The first of them to be called wins; later calls are ignored. If the executor throws before either
    /// is called, the promise is rejected with what it threw. Uses <see cref="Promise.DefaultScheduler"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">There is no default scheduler (no reactor is running on this thread).</exception>
    public Promise(Action<Action<T>, Action<Exception>> executor)
        : this(Promise.RequireScheduler(null), executor)
    {
    }

    /// <summary>As <see cref="Promise{T}(Action{Action{T}, Action{Exception}})"/>, running handlers on <paramref name="scheduler"/>.</summary>
    public Promise(ICallSoon scheduler, Action<Action<T>, Action<Exception>> executor)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(executor);
        _scheduler = scheduler;
        try
        {
            executor(ResolveValue, e =>
            {
                ArgumentNullException.ThrowIfNull(e);
                TryReject(new Failure(e));
            });
        }
        catch (Exception e)
        {
            TryReject(new Failure(e));
        }
    }

    /// <summary>A pending promise that the library settles itself.</summary>
    internal Promise(ICallSoon scheduler) => _scheduler = scheduler;

    /// <summary>Pending, fulfilled or rejected (2.1).</summary>
    public PromiseState State => _state;

    /// <summary>Where this promise's handlers run: captured when it was created.</summary>
    public ICallSoon Scheduler => _scheduler;

    internal T Value => _value;

    internal Failure? Reason => _reason;

    // ---- settling --------------------------------------------------------------------------------------------

    /// <summary>Fulfils with <paramref name="value"/>, unless it is this very promise (2.3.1). Ignored once settled.</summary>
    internal void ResolveValue(T value)
    {
        // 2.3.1: only possible when T is a reference type that a Promise<T> converts to (object, for instance).
        if (!typeof(T).IsValueType && ReferenceEquals(value, this))
        {
            TryReject(new Failure(Promise.SelfResolution()));
            return;
        }
        TryFulfill(value);
    }

    internal bool TryFulfill(T value)
    {
        if (_state != PromiseState.Pending) return false;
        _value = value;
        _state = PromiseState.Fulfilled;
        Flush();
        return true;
    }

    internal bool TryReject(Failure reason)
    {
        if (_state != PromiseState.Pending) return false;
        _reason = reason;
        _state = PromiseState.Rejected;
        if (!_observed) _tracker = new RejectionTracker(reason);
        Flush();
        return true;
    }

    /// <summary>Takes <paramref name="source"/>'s outcome (adoption, 2.3.2).</summary>
    internal void SettleFrom(Promise<T> source)
    {
        if (source._state == PromiseState.Fulfilled) TryFulfill(source._value);
        else if (source._reason is { } reason) TryReject(reason);
    }

    private void Flush()
    {
        var first = _first;
        var rest = _rest;
        _first = null;
        _rest = null;
        if (first is null) return;
        first.OnSettled(this);
        if (rest is null) return;
        foreach (var reaction in rest) reaction.OnSettled(this);
    }

    /// <summary>
    /// Registers a reaction: it is told about the outcome when the promise settles, or now if it has. Any reaction
    /// counts as handling a rejection.
    /// </summary>
    internal void Subscribe(PromiseReaction<T> reaction)
    {
        _observed = true;
        if (_tracker is { } tracker)
        {
            tracker.Dismiss();
            _tracker = null;
        }
        if (_state != PromiseState.Pending)
        {
            reaction.OnSettled(this);
            return;
        }
        if (_first is null) _first = reaction;
        else (_rest ??= new List<PromiseReaction<T>>()).Add(reaction);
    }

    // ---- adoption (2.3) --------------------------------------------------------------------------------------

    /// <summary>Adopts <paramref name="inner"/>'s state once it settles (2.3.2); rejects when it is this promise (2.3.1).</summary>
    internal void Adopt(Promise<T>? inner)
    {
        if (inner is null) throw new InvalidOperationException("A promise handler returned a null Promise.");
        if (ReferenceEquals(inner, this)) throw Promise.SelfResolution();
        // A scheduled hop rather than a synchronous copy: long adoption chains (recursive promise loops) then
        // unwind through the scheduler's queue instead of growing the stack.
        inner.Subscribe(new AdoptReaction<T>(this));
    }

    /// <summary>
    /// Adopts a Deferred's result the way <c>await</c> does: the result is consumed (IC4), so callbacks added to the
    /// Deferred afterwards see <c>default(T)</c> and its failure is this promise's to report, not the Deferred's.
    /// </summary>
    internal void Adopt(Deferred<T>? inner)
    {
        if (inner is null) throw new InvalidOperationException("A promise handler returned a null Deferred.");
        Func<T, T> onValue = v =>
        {
            ResolveValue(v);
            return default!;
        };
        Func<Failure, T> onFailure = f =>
        {
            TryReject(f);
            return default!;
        };
        inner.AddCallbacks(onValue, onFailure);
    }

    /// <summary>
    /// Adopts a task's outcome: its value, its exception (the single inner one of a faulted task, else the
    /// <see cref="AggregateException"/>), or a <see cref="TaskCanceledException"/>. A task that is still running
    /// hands its outcome back through the scheduler, from whichever thread completes it. A non-generic task fulfils
    /// with <c>default(T)</c> (used for <see cref="Unit"/>).
    /// </summary>
    internal void Adopt(Task? inner)
    {
        if (inner is null) throw new InvalidOperationException("A promise handler returned a null Task.");
        if (inner.IsCompleted)
        {
            SettleFromTask(inner);
            return;
        }
        inner.ContinueWith(
            static (t, s) => ((Promise<T>)s!)._scheduler.CallSoon(static s2 =>
            {
                var (p, task) = ((Promise<T>, Task))s2!;
                p.SettleFromTask(task);
            }, ((Promise<T>)s!, t)),
            this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void SettleFromTask(Task task)
    {
        switch (task.Status)
        {
            case TaskStatus.RanToCompletion:
                ResolveValue(task is Task<T> typed ? typed.Result : default!);
                break;
            case TaskStatus.Faulted:
                var error = task.Exception!;
                TryReject(new Failure(error.InnerExceptions.Count == 1 ? error.InnerExceptions[0] : error));
                break;
            default:
                TryReject(new Failure(new TaskCanceledException(task)));
                break;
        }
    }

    // ---- await -----------------------------------------------------------------------------------------------

    /// <summary>
    /// Lets <c>await</c> wait for the promise. The continuation always runs later, on this promise's scheduler, even
    /// when the promise has already settled (as in JavaScript); <c>await</c> then returns the value or throws the
    /// reason's original exception. A promise is never consumed: it may be awaited any number of times.
    /// </summary>
    public PromiseAwaiter<T> GetAwaiter() => new(this);

    /// <inheritdoc />
    public override string ToString()
    {
        var id = $"Promise<{typeof(T).Name}> #{RuntimeHelpers.GetHashCode(this):x}";
        return _state switch
        {
            PromiseState.Fulfilled => $"<{id} fulfilled: {_value?.ToString() ?? "null"}>",
            PromiseState.Rejected => $"<{id} rejected: {_reason!.Type.Name}: {_reason.GetErrorMessage()}>",
            _ => $"<{id} pending>",
        };
    }
}
