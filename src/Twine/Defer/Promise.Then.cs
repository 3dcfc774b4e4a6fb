using System.Runtime.CompilerServices;

namespace Twine.Defer;

// Promise<T>'s handler registration: Then, Catch and Finally (Promises/A+ 2.2). Each returns a new promise on the
// same scheduler; the handler runs later, on that scheduler, in registration order. A handler may return a value, or
// a Promise, Deferred or Task whose outcome the new promise adopts (2.3).
public sealed partial class Promise<T>
{
    /// <summary>
    /// Registers handlers for either outcome (2.2.1, 2.2.7); the returned promise resolves with what the one that runs
    /// returns, or rejects with what it throws. A null <paramref name="onFulfilled"/> passes the value on (only when
    /// <typeparamref name="TNext"/> is <typeparamref name="T"/>); a null <paramref name="onRejected"/> passes the reason on.
    /// </summary>
    public Promise<TNext> Then<TNext>(Func<T, TNext>? onFulfilled, Func<Failure, TNext>? onRejected = null) =>
        Register(onFulfilled, onRejected, Resolvers<TNext>.Value);

    /// <summary>As <see cref="Then{TNext}(Func{T, TNext}, Func{Failure, TNext})"/>, for handlers returning a promise to adopt (2.3.2).</summary>
    public Promise<TNext> Then<TNext>(Func<T, Promise<TNext>>? onFulfilled, Func<Failure, Promise<TNext>>? onRejected = null) =>
        Register(onFulfilled, onRejected, Resolvers<TNext>.Promise);

    /// <summary>
    /// As <see cref="Then{TNext}(Func{T, TNext}, Func{Failure, TNext})"/>, for handlers returning a Deferred to adopt. The
    /// Deferred's result is consumed as an <c>await</c> would consume it (IC4).
    /// </summary>
    public Promise<TNext> Then<TNext>(Func<T, Deferred<TNext>>? onFulfilled, Func<Failure, Deferred<TNext>>? onRejected = null) =>
        Register(onFulfilled, onRejected, Resolvers<TNext>.Deferred);

    /// <summary>As <see cref="Then{TNext}(Func{T, TNext}, Func{Failure, TNext})"/>, for handlers returning a task to adopt (async lambdas).</summary>
    /// <remarks>
    /// An <c>async</c> lambda could also become a <see cref="Deferred{T}"/> (a task-like type), so it would match the
    /// Deferred overload too; the priority makes it a task, the natural type of an async lambda. It only ever wins
    /// over the other overloads when the handler can return a <see cref="Task{TResult}"/>, or never returns at all.
    /// </remarks>
    [OverloadResolutionPriority(1)]
    public Promise<TNext> Then<TNext>(Func<T, Task<TNext>>? onFulfilled, Func<Failure, Task<TNext>>? onRejected = null) =>
        Register(onFulfilled, onRejected, Resolvers<TNext>.Task);

    /// <summary>Registers a handler that returns a task with no value (an <c>async</c> lambda); the new promise adopts it.</summary>
    public Promise<Unit> Then(Func<T, Task> onFulfilled, Func<Failure, Task>? onRejected = null)
    {
        ArgumentNullException.ThrowIfNull(onFulfilled);
        return Register(onFulfilled, onRejected, UnitResolvers.Task);
    }

    /// <summary>
    /// Registers handlers that return nothing; the new promise fulfils with <see cref="Unit"/> once the one that runs
    /// returns. A null <paramref name="onFulfilled"/> just drops the value; a null <paramref name="onRejected"/>
    /// passes the reason on.
    /// </summary>
    public Promise<Unit> Then(Action<T>? onFulfilled, Action<Failure>? onRejected = null)
    {
        Func<T, Unit> fulfilled = onFulfilled is null
            ? static _ => Unit.Value
            : v =>
            {
                onFulfilled(v);
                return Unit.Value;
            };
        Func<Failure, Unit>? rejected = onRejected is null
            ? null
            : f =>
            {
                onRejected(f);
                return Unit.Value;
            };
        return Register(fulfilled, rejected, Resolvers<Unit>.Value);
    }

    /// <summary>
    /// Registers a rejection handler that recovers with a value; a fulfilled value passes through unchanged. To pass
    /// the rejection on instead, re-throw (<see cref="Failure.Trap{T}"/> does): the same <see cref="Failure"/> travels on.
    /// </summary>
    public Promise<T> Catch(Func<Failure, T> onRejected)
    {
        ArgumentNullException.ThrowIfNull(onRejected);
        return Register(null, onRejected, Resolvers<T>.Value);
    }

    /// <summary>As <see cref="Catch(Func{Failure, T})"/>, recovering by adopting a promise.</summary>
    public Promise<T> Catch(Func<Failure, Promise<T>> onRejected)
    {
        ArgumentNullException.ThrowIfNull(onRejected);
        return Register(null, onRejected, Resolvers<T>.Promise);
    }

    /// <summary>As <see cref="Catch(Func{Failure, T})"/>, recovering by adopting (and consuming) a Deferred.</summary>
    public Promise<T> Catch(Func<Failure, Deferred<T>> onRejected)
    {
        ArgumentNullException.ThrowIfNull(onRejected);
        return Register(null, onRejected, Resolvers<T>.Deferred);
    }

    /// <summary>As <see cref="Catch(Func{Failure, T})"/>, recovering by adopting a task (an <c>async</c> lambda).</summary>
    /// <remarks>Preferred for async lambdas (and for handlers that always throw), as for <c>Then</c>.</remarks>
    [OverloadResolutionPriority(1)]
    public Promise<T> Catch(Func<Failure, Task<T>> onRejected)
    {
        ArgumentNullException.ThrowIfNull(onRejected);
        return Register(null, onRejected, Resolvers<T>.Task);
    }

    /// <summary>
    /// Registers a rejection handler that returns nothing. Returning normally recovers with <c>default(T)</c>, as a
    /// Deferred errback returning nothing does (and as JavaScript's <c>catch</c> resolves with <c>undefined</c>).
    /// </summary>
    public Promise<T> Catch(Action<Failure> onRejected)
    {
        ArgumentNullException.ThrowIfNull(onRejected);
        return Register<T, T>(null, f =>
        {
            onRejected(f);
            return default!;
        }, Resolvers<T>.Value);
    }

    /// <summary>
    /// Registers a handler for rejections whose exception is a <typeparamref name="TException"/>; it recovers with
    /// the value it returns. Other rejections pass through with their <see cref="Failure"/> unchanged.
    /// </summary>
    /// <example><code>fetch.Catch&lt;TimeoutException&gt;(e => "too slow")</code></example>
    public Promise<T> Catch<TException>(Func<TException, T> onRejected) where TException : Exception
    {
        ArgumentNullException.ThrowIfNull(onRejected);
        return Register<T, T>(null, f => onRejected(f.Trap<TException>()), Resolvers<T>.Value);
    }

    /// <summary>
    /// Registers an action for either outcome; the new promise settles like this one once it has run. If the action
    /// throws, the new promise rejects with that instead.
    /// </summary>
    public Promise<T> Finally(Action onFinally)
    {
        ArgumentNullException.ThrowIfNull(onFinally);
        return RegisterFinally<Unit>(() =>
        {
            onFinally();
            return null;
        });
    }

    /// <summary>
    /// As <see cref="Finally(Action)"/>, waiting for the promise the action returns before settling like this one; if
    /// that promise rejects, the new promise rejects with its reason.
    /// </summary>
    public Promise<T> Finally<TAny>(Func<Promise<TAny>> onFinally)
    {
        ArgumentNullException.ThrowIfNull(onFinally);
        return RegisterFinally(() => onFinally() ?? throw new InvalidOperationException("A Finally action returned a null Promise."));
    }

    /// <summary>As <see cref="Finally{TAny}(Func{Promise{TAny}})"/>, for an action returning a task (an <c>async</c> lambda).</summary>
    public Promise<T> Finally(Func<Task> onFinally)
    {
        ArgumentNullException.ThrowIfNull(onFinally);
        return RegisterFinally(() =>
        {
            var wait = new Promise<Unit>(_scheduler);
            wait.Adopt(onFinally());
            return wait;
        });
    }

    private Promise<T> RegisterFinally<TAny>(Func<Promise<TAny>?> action)
    {
        var derived = new Promise<T>(_scheduler);
        Subscribe(new FinallyReaction<T, TAny>(action, derived));
        return derived;
    }

    private Promise<TNext> Register<TNext, TResult>(
        Func<T, TResult>? onFulfilled, Func<Failure, TResult>? onRejected, Action<Promise<TNext>, TResult> resolve)
    {
        if (onFulfilled is null && typeof(TNext) != typeof(T))
            throw new ArgumentNullException(nameof(onFulfilled), $"A fulfilment handler is needed to turn a {typeof(T).Name} into a {typeof(TNext).Name}.");
        var derived = new Promise<TNext>(_scheduler);
        Subscribe(new ThenReaction<T, TResult, TNext>(onFulfilled, onRejected, derived, resolve));
        return derived;
    }
}
