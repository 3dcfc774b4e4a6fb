namespace Twine.Defer;

// Waiting on several Deferreds at once (docs/behaviours.md §5): FirstSuccess and GatherResults. DeferredList<T> is
// the general form.
public abstract partial class Deferred
{
    /// <summary>
    /// Fires with the first input to succeed and its index (Twisted's <c>DeferredList(fireOnOneCallback=True)</c>,
    /// DL4). With <paramref name="fireOnOneErrback"/>, the first failure fails it with a
    /// <see cref="FirstErrorException"/> instead (whichever comes first wins). If every input fails, it fails with an
    /// <see cref="AllFailedException"/> carrying their failures. An empty list never fires (DL3). Cancelling it
    /// before it fires cancels every input (DL7). Inputs see their own results unchanged, unless
    /// <paramref name="consumeErrors"/> turns a failure into <c>default(T)</c> (DL6).
    /// </summary>
    /// <example>
    /// <code>
    /// var (page, mirror) = await Deferred.FirstSuccess([Fetch(mirrorA), Fetch(mirrorB)], consumeErrors: true);
    /// </code>
    /// </example>
    public static Deferred<(T Value, int Index)> FirstSuccess<T>(IEnumerable<Deferred<T>> deferreds, bool fireOnOneErrback = false, bool consumeErrors = false) =>
        new FirstSuccessDeferred<T>(DeferredList<T>.Copy(deferreds), fireOnOneErrback, consumeErrors);

    /// <summary>
    /// Fires with every input's value, in input order, once all have succeeded (Twisted's <c>gatherResults</c>, DL8).
    /// It fails fast: the first failure fails it at once with a <see cref="FirstErrorException"/> (the failure and
    /// the input's index), without waiting for or cancelling the others. Cancelling it cancels every input, so it
    /// then fails with <c>FirstErrorException(CancelledException)</c>, or succeeds if every canceller supplied a value.
    /// </summary>
    /// <param name="deferreds">The Deferreds to wait for (copied now).</param>
    /// <param name="consumeErrors">Leave failed inputs holding <c>default(T)</c>, so only this result reports the failure.</param>
    /// <example>
    /// <code>
    /// IReadOnlyList&lt;int&gt; sizes = await Deferred.GatherResults(urls.Select(u => GetPage(u).AddCallback(p => p.Length)));
    /// </code>
    /// </example>
    public static Deferred<IReadOnlyList<T>> GatherResults<T>(IEnumerable<Deferred<T>> deferreds, bool consumeErrors = false) =>
        Gather(new DeferredList<T>(deferreds, fireOnOneErrback: true, consumeErrors));

    /// <summary>
    /// As <see cref="GatherResults{T}(IEnumerable{Deferred{T}}, bool)"/>, for Deferreds known only as
    /// <see cref="Deferred"/> (for example the results of <c>async Deferred</c> methods): fires with no value once all
    /// have succeeded, or fails fast with <see cref="FirstErrorException"/>.
    /// </summary>
    /// <example>
    /// <code>
    /// await Deferred.GatherResults([SendGreeting(a), SendGreeting(b)]);
    /// </code>
    /// </example>
    public static Deferred<Unit> GatherResults(IEnumerable<Deferred> deferreds, bool consumeErrors = false) =>
        new DeferredList<Unit>(DeferredList<Unit>.Copy(deferreds), fireOnOneErrback: true, consumeErrors)
            .AddCallback(static _ => Unit.Value);

    private static Deferred<IReadOnlyList<T>> Gather<T>(DeferredList<T> list) =>
        list.AddCallback<IReadOnlyList<T>>(static outcomes =>
        {
            // fireOnOneErrback: the list only succeeds when every input did.
            var values = new T[outcomes.Count];
            for (int i = 0; i < values.Length; i++) values[i] = outcomes[i].ValueOrDefault!;
            return values;
        });
}
