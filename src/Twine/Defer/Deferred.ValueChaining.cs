using System.Runtime.CompilerServices;

namespace Twine.Defer;

// Chaining on a Deferred that reached the chain as a plain value: a callback bound to a value-returning overload
// (Func<Failure, T> on a Deferred<object>, AddCallback<Deferred<X>> with an explicit type argument, a generic
// function whose T happens to be a Deferred) still makes the chain wait for it, as Twisted's _runCallbacks does
// for any result that is a Deferred (CH1–CH3, L2). The typed overloads (ChainLink) remain the fast path.
public abstract partial class Deferred
{
    /// <summary>
    /// Makes this chain (a root) wait for <paramref name="inner"/> and then continue with its result stored in
    /// <paramref name="target"/>: at once if it already has a final result (CH3), otherwise when it fires (CH1, CH2).
    /// Whatever this chain held before, a failure included, is replaced (L2: the failure is handled by chaining).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ChainValue<T>(Deferred<T> target, Deferred inner)
    {
        _failure = null;
        target._value = default!;
        var innerRoot = inner.Root;
        if (innerRoot == this)
        {
            // CH9: a chain cannot wait on itself.
            SetException(new InvalidOperationException("Callback returned the Deferred it was attached to."));
            return;
        }
        var innerTail = innerRoot.TailView ?? innerRoot;
        if (innerTail != inner)
        {
            SetException(new StaleDeferredException(inner.ResultType, innerTail.ResultType));
            return;
        }
        if (innerRoot.IsSettled)
        {
            TakeResult(innerRoot, target);
            return;
        }
        _paused++;
        Chained = innerRoot;
        _flags |= Flags.Waiting;
        innerRoot.Append(new ValueContinueLink<T>(this, target));
    }

    /// <summary>Moves <paramref name="innerRoot"/>'s final outcome into this chain's <paramref name="target"/> view and consumes it (CH2, CH3).</summary>
    internal void TakeResult<T>(Deferred innerRoot, Deferred<T> target)
    {
        var failure = innerRoot._failure;
        if (failure is not null)
        {
            _failure = failure;
            target._value = default!;
        }
        else if ((innerRoot.CurrentView ?? innerRoot).TryGetValueAs(out T value, out var mismatch))
        {
            _failure = null;
            target._value = value;
        }
        else
        {
            _failure = new Failure(mismatch!);
            target._value = default!;
        }
        innerRoot.Consume();
    }

    /// <summary>
    /// This view's value as a <typeparamref name="TTarget"/>: the value itself when it fits, or (for a chain whose
    /// declared type is a Deferred, such as <c>AddCallback&lt;Deferred&lt;string&gt;&gt;</c>) a fired Deferred
    /// holding it. Otherwise false, with the exception to fail the waiting chain with.
    /// </summary>
    internal abstract bool TryGetValueAs<TTarget>(out TTarget value, out Exception? mismatch);
}

/// <summary>
/// Appended to a Deferred that a callback returned as a plain value: moves its result to the waiting outer chain,
/// converting it to the outer view's type, and resumes the outer chain (CH2). The untyped twin of ContinueLink.
/// </summary>
internal sealed class ValueContinueLink<T>(Deferred outer, Deferred<T> target) : Link
{
    internal override Deferred? Run(Deferred root)
    {
        outer.TakeResult(root, target);
        outer._paused--;
        outer.Chained = null;
        outer._flags &= ~Deferred.Flags.Waiting;
        return outer;
    }
}
