namespace Twine.Defer;

// Links that watch an input Deferred's outcome without the cost of a user-level callback: a pass-through errback
// would have to re-throw the failure, adding frames to its trace on every input of every DeferredList.

/// <summary>Appends links to the end of a chain through a reference that must be the chain's current end.</summary>
internal static class ChainEnd
{
    /// <summary>Throws <see cref="StaleDeferredException"/> when <paramref name="at"/> is not the chain's end.</summary>
    public static void Check(Deferred at) => at.CheckTail();

    /// <summary>Appends <paramref name="link"/>; it runs at once if the chain has already fired (D4).</summary>
    public static void Append(Deferred at, Link link)
    {
        at.CheckTail().Append(link);
    }
}

/// <summary>Receives the outcome of one input of a list (<see cref="DeferredList{T}"/>, <c>FirstSuccess</c>).</summary>
internal interface IListEntrySink<T>
{
    /// <summary>Records input <paramref name="index"/>'s outcome; true when a failure should be consumed (DL6).</summary>
    bool Record(int index, Outcome<T> outcome);
}

/// <summary>
/// The (callback, errback) pair a list adds to each input (DL1). It passes the outcome through unchanged (DL6),
/// except that a consumed failure becomes <c>default(T)</c> so it is not reported as unhandled.
/// </summary>
internal sealed class ListEntryLink<T>(IListEntrySink<T> sink, int index) : Link
{
    internal override Deferred? Run(Deferred root)
    {
        var view = Current<T>(root);
        var failure = root._failure;
        try
        {
            bool consume = sink.Record(index, failure is null ? new Outcome<T>(view._value) : new Outcome<T>(failure));
            if (consume && failure is not null)
            {
                root._failure = null;
                view._value = default!;
            }
        }
        catch (Exception e)
        {
            root.SetException(e);
        }
        return null;
    }
}

/// <summary>
/// As <see cref="ListEntryLink{T}"/> for an input known only as a <see cref="Deferred"/> (an <c>async Deferred</c>
/// method): it records success as <c>default(T)</c>, because the input's value type is not known here.
/// </summary>
internal sealed class UntypedListEntryLink<T>(IListEntrySink<T> sink, int index) : Link
{
    internal override Deferred? Run(Deferred root)
    {
        var failure = root._failure;
        try
        {
            bool consume = sink.Record(index, failure is null ? new Outcome<T>(default(T)!) : new Outcome<T>(failure));
            if (consume && failure is not null) root.Consume();
        }
        catch (Exception e)
        {
            root.SetException(e);
        }
        return null;
    }
}

/// <summary>Hands an untyped chain's outcome to an observer and consumes it (F1: the chain is left holding default).</summary>
internal sealed class ConsumeOutcomeLink(Action<Failure?> observer) : Link
{
    internal override Deferred? Run(Deferred root)
    {
        var failure = root._failure;
        root.Consume();
        try
        {
            observer(failure);
        }
        catch (Exception e)
        {
            root.SetException(e);
        }
        return null;
    }
}
