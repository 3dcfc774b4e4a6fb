using System.Runtime.CompilerServices;

namespace Twine.Defer;

/// <summary>
/// Builds the Deferred of an <c>async Deferred&lt;T&gt;</c> method: Twisted's <c>inlineCallbacks</c>, the C# way.
/// The method runs synchronously up to its first await of an unfired Deferred (IC1); awaiting a fired Deferred
/// does not suspend, so long runs of them use no stack (IC5); cancelling the returned Deferred cancels the one
/// being awaited and lets the method decide what to do with the <see cref="CancelledException"/> (IC7).
/// <see cref="AsyncLocal{T}"/> values flow as in an <c>async Task</c> method (IC10): the method sees its
/// caller's values, its own changes stay inside it, and every resumption runs in the context captured at its await,
/// whatever code fired the awaited Deferred.
/// </summary>
public struct DeferredMethodBuilder<T>
{
    private Deferred<T>? _deferred;

    /// <summary>Called by the compiler.</summary>
    public static DeferredMethodBuilder<T> Create() => default;

    /// <summary>Called by the compiler: runs the method up to its first suspension.</summary>
    public void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine =>
        // The task builder's Start only saves and restores the thread's execution context around MoveNext.
        default(AsyncTaskMethodBuilder).Start(ref stateMachine);

    /// <summary>Called by the compiler.</summary>
    public void SetStateMachine(IAsyncStateMachine stateMachine) { }

    /// <summary>The method's Deferred.</summary>
    public Deferred<T> Task => _deferred ??= new Deferred<T>();

    /// <summary>Called by the compiler when the method returns.</summary>
    public void SetResult(T result)
    {
        if (_deferred is null) _deferred = Deferred.Succeed(result);
        else _deferred.Callback(result);
    }

    /// <summary>Called by the compiler when the method throws.</summary>
    public void SetException(Exception exception)
    {
        if (_deferred is null) _deferred = Deferred.Fail<T>(exception);
        else _deferred.Errback(exception);
    }

    /// <summary>Called by the compiler at a suspending await.</summary>
    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine =>
        awaiter.OnCompleted(Box(ref awaiter, ref stateMachine).MoveNextAction);

    /// <summary>Called by the compiler at a suspending await.</summary>
    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine
    {
        var box = Box(ref awaiter, ref stateMachine);
        // Awaiting a Deferred: append the box's own reusable link instead of a new delegate and link per await.
        if (box.Awaiting is { } awaited) awaited.Root.Append(box.ResumeLink);
        else awaiter.UnsafeOnCompleted(box.MoveNextAction);
    }

    private AsyncDeferred<TStateMachine, T> Box<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine
    {
        if (_deferred is not AsyncDeferred<TStateMachine, T> box)
        {
            box = new AsyncDeferred<TStateMachine, T>();
            // Set before copying the state machine, so the copy's builder points at the box too.
            _deferred = box;
            box.StateMachine = stateMachine;
        }
        box.Context = ExecutionContext.Capture();
        // Both Deferred awaiters are structs whose only field is the awaited Deferred; the type test folds to a
        // constant for struct awaiters, so this costs nothing for other awaitables.
        box.Awaiting = awaiter is IDeferredAwaiter ? Unsafe.As<TAwaiter, Deferred>(ref awaiter) : null;
        return box;
    }
}

/// <summary>The builder of <c>async Deferred</c> methods (no value); see <see cref="DeferredMethodBuilder{T}"/>.</summary>
public struct DeferredMethodBuilder
{
    private DeferredMethodBuilder<Unit> _inner;

    /// <summary>Called by the compiler.</summary>
    public static DeferredMethodBuilder Create() => default;

    /// <summary>Called by the compiler.</summary>
    public void Start<TStateMachine>(ref TStateMachine stateMachine) where TStateMachine : IAsyncStateMachine =>
        default(AsyncTaskMethodBuilder).Start(ref stateMachine);

    /// <summary>Called by the compiler.</summary>
    public void SetStateMachine(IAsyncStateMachine stateMachine) { }

    /// <summary>The method's Deferred.</summary>
    public Deferred Task => _inner.Task;

    /// <summary>Called by the compiler.</summary>
    public void SetResult() => _inner.SetResult(Unit.Value);

    /// <summary>Called by the compiler.</summary>
    public void SetException(Exception exception) => _inner.SetException(exception);

    /// <summary>Called by the compiler.</summary>
    public void AwaitOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : INotifyCompletion where TStateMachine : IAsyncStateMachine =>
        _inner.AwaitOnCompleted(ref awaiter, ref stateMachine);

    /// <summary>Called by the compiler.</summary>
    public void AwaitUnsafeOnCompleted<TAwaiter, TStateMachine>(ref TAwaiter awaiter, ref TStateMachine stateMachine)
        where TAwaiter : ICriticalNotifyCompletion where TStateMachine : IAsyncStateMachine =>
        _inner.AwaitUnsafeOnCompleted(ref awaiter, ref stateMachine);
}

/// <summary>The Deferred of a suspended async method, holding its state machine (as .NET's task box does).</summary>
internal sealed class AsyncDeferred<TStateMachine, T> : Deferred<T> where TStateMachine : IAsyncStateMachine
{
    private static readonly ContextCallback s_run = static box => ((AsyncDeferred<TStateMachine, T>)box!).StateMachine.MoveNext();

    public TStateMachine StateMachine = default!;
    public ExecutionContext? Context;
    public Deferred? Awaiting;
    private Action? _moveNext;

    public Action MoveNextAction => _moveNext ??= MoveNext;

    /// <summary>The link that resumes this method when an awaited Deferred fires; a method awaits one thing at a time, so one link serves every await.</summary>
    public Link ResumeLink => _resume ??= new Resume(this);

    private Link? _resume;

    private sealed class Resume(AsyncDeferred<TStateMachine, T> box) : Link
    {
        internal override Deferred? Run(Deferred root)
        {
            box.MoveNext();
            return null;
        }
    }

    private void MoveNext()
    {
        Awaiting = null;
        var context = Context;
        Context = null;
        if (context is null) StateMachine.MoveNext();
        else ExecutionContext.Run(context, s_run, this);
    }

    // IC7: cancel what the method is waiting on; the method then finishes (or not) in its own way and fires us.
    private protected override bool InvokeCustomCanceller(out bool firesLater)
    {
        var awaiting = Awaiting;
        firesLater = awaiting is not null;
        if (awaiting is null) return false;
        awaiting.Cancel();
        return true;
    }
}
