using System.Runtime.CompilerServices;

namespace Twine.Defer;

/// <summary>
/// One step of a chain: a callback/errback pair (D2). Links are typed by the result type they receive and produce,
/// and read and write the value in the chain's typed views, so value types are never boxed. Each link catches what
/// its user code throws and turns it into the chain's failure (D3).
/// </summary>
internal abstract class Link
{
    internal Link? Next;

    /// <summary>
    /// Runs against the chain's current outcome. Returns an outer chain to resume when this link is a continuation
    /// that handed the result over (CH2); otherwise null.
    /// </summary>
    internal abstract Deferred? Run(Deferred root);

    /// <summary>
    /// Returned by <see cref="Run"/> when the link has work left for after a pause (a <see cref="SameTypeLink{T}"/>
    /// stopped between its two callbacks): the link goes back to the head of the chain.
    /// </summary>
    internal static readonly Deferred Again = new Deferred<Unit>();

    /// <summary>The current success value, typed. Links are appended in type order, so the cast always holds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static Deferred<T> Current<T>(Deferred root) =>
        Unsafe.As<Deferred<T>>(root.ExtrasOrNull is { Current: { } current } ? current : root);
}

/// <summary>
/// One or two consecutive callbacks that keep the result type (<c>Func&lt;T, T&gt;</c>): the hot path. A second
/// callback added right after the first fills <see cref="Second"/> instead of allocating a link of its own, which
/// halves the allocations and GC write barriers of a same-type chain: 40 bytes per two callbacks instead of 64. A
/// lone callback's link costs 8 bytes more than before, which the Deferred itself saved (64 bytes instead of 72). The two run
/// exactly as two links would: a failure skips the second, and a pause between them (a callback pausing its chain,
/// or returning a Deferred to wait on) leaves the second for later (D8, CH1).
/// </summary>
internal sealed class SameTypeLink<T>(Func<T, T> callback) : Link
{
    private Func<T, T> _callback = callback;

    /// <summary>The next callback, filled only while this is the chain's last link and has not started running.</summary>
    internal Func<T, T>? Second;

    internal override Deferred? Run(Deferred root)
    {
        if (root._failure is not null) return null;
        var view = Current<T>(root);
        try
        {
            root.SetValue(view, _callback(view._value));
        }
        catch (Exception e)
        {
            root.SetException(e);
            return null;
        }
        if (Second is not { } second || root._failure is not null) return null;
        if (root._paused > 0)
        {
            // The chain stopped between the two: keep the second for when it resumes.
            _callback = second;
            Second = null;
            return Again;
        }
        try
        {
            root.SetValue(view, second(view._value));
        }
        catch (Exception e)
        {
            root.SetException(e);
        }
        return null;
    }
}

/// <summary>A callback/errback pair that may change the result type to <typeparamref name="TNext"/>.</summary>
internal sealed class MapLink<T, TNext>(Func<T, TNext>? callback, Func<Failure, TNext>? errback, Deferred<TNext> target) : Link
{
    internal override Deferred? Run(Deferred root)
    {
        var source = Current<T>(root);
        var failure = root._failure;
        // The chain's type moves on even when this link passes the failure through.
        root.CurrentView = target == root ? null : target;
        try
        {
            if (failure is null)
            {
                // Errback-only links never change the type: source and target are the same view.
                if (callback is not null) root.SetValue(target, callback(source._value));
            }
            else if (errback is not null)
            {
                root.SetValue(target, errback(failure));
            }
        }
        catch (Exception e)
        {
            root.SetException(e);
        }
        if (!ReferenceEquals(source, target)) source.ClearValue();
        return null;
    }
}

/// <summary>A callback or errback that returns a Deferred: the chain waits for it (CH1–CH5).</summary>
internal sealed class ChainLink<T, TNext>(Func<T, Deferred<TNext>>? callback, Func<Failure, Deferred<TNext>>? errback, Deferred<TNext> target) : Link
{
    internal override Deferred? Run(Deferred root)
    {
        var source = Current<T>(root);
        var failure = root._failure;
        root.CurrentView = target == root ? null : target;
        Deferred<TNext>? inner;
        try
        {
            if (failure is null)
            {
                if (callback is null) return null; // errback-only: same view, nothing to move
                inner = callback(source._value);
            }
            else
            {
                if (errback is null) return null;
                inner = errback(failure);
                root._failure = null;
            }
        }
        catch (Exception e)
        {
            root.SetException(e);
            return null;
        }
        finally
        {
            if (!ReferenceEquals(source, target)) source.ClearValue();
        }
        if (inner is null)
        {
            root.SetException(new InvalidOperationException("A callback returned a null Deferred."));
            return null;
        }
        Adopt(root, inner, target);
        return null;
    }

    /// <summary>Takes the inner Deferred's result now if it has a final one (CH3), otherwise waits for it (CH1).</summary>
    internal static void Adopt(Deferred root, Deferred<TNext> inner, Deferred<TNext> target)
    {
        var innerRoot = inner.Root;
        if (innerRoot == root)
        {
            // CH9: a chain cannot wait on itself.
            root.SetException(new InvalidOperationException("Callback returned the Deferred it was attached to."));
            return;
        }
        var innerTail = innerRoot.TailView ?? innerRoot;
        if (innerTail != inner)
        {
            root.SetException(new StaleDeferredException(typeof(TNext), innerTail.ResultType));
            return;
        }
        if (innerRoot.IsSettled)
        {
            target._value = inner._value;
            root._failure = innerRoot._failure;
            innerRoot.Consume();
            return;
        }
        root._paused++;
        root.Chained = innerRoot;
        root._flags |= Deferred.Flags.Waiting;
        innerRoot.Append(new ContinueLink<TNext>(root, target));
    }
}

/// <summary>Appended to an inner Deferred: moves its result to the waiting outer chain and resumes it (CH2).</summary>
internal sealed class ContinueLink<T>(Deferred outer, Deferred<T> target) : Link
{
    internal override Deferred? Run(Deferred root)
    {
        var source = Current<T>(root);
        target._value = source._value;
        outer._failure = root._failure;
        root.Consume();
        outer._paused--;
        outer.Chained = null;
        outer._flags &= ~Deferred.Flags.Waiting;
        return outer;
    }
}

/// <summary>Runs an action on either outcome and passes it through unchanged (used by AddTimeout, Finally and the like).</summary>
internal sealed class TapLink<T>(Action<Deferred<T>, Deferred> action) : Link
{
    internal override Deferred? Run(Deferred root)
    {
        try
        {
            action(Current<T>(root), root);
        }
        catch (Exception e)
        {
            root.SetException(e);
        }
        return null;
    }
}

/// <summary>Resumes an awaiting async method. The awaiter's GetResult reads and consumes the result synchronously inside (IC4).</summary>
internal sealed class AwaitLink(Action continuation) : Link
{
    internal override Deferred? Run(Deferred root)
    {
        continuation();
        return null;
    }
}
