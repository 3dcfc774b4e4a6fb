using Twine.Defer;

namespace Twine.Time;

// Any sequence as cooperative work: IEnumerable<T>/IEnumerator<T> of any T (a value type's items are not boxed) and
// IAsyncEnumerable<T>. The IEnumerable<object?> overloads remain the ones chosen for object sequences.
public sealed partial class Cooperator
{
    /// <summary>
    /// Adds <paramref name="iterator"/> as a task (see <see cref="Cooperate(IEnumerator{object?})"/>): one item per
    /// step; an item that is a Deferred pauses the task until it fires (CO3). For a value type <typeparamref name="T"/>
    /// the task's <see cref="CooperativeTask.Iterator"/> is an adapter over <paramref name="iterator"/>.
    /// </summary>
    /// <example>
    /// <code>
    /// IEnumerable&lt;int&gt; Rows() { for (int i = 0; i &lt; 1000; i++) { Process(i); yield return i; } }
    /// cooperator.Cooperate(Rows().GetEnumerator());
    /// </code>
    /// </example>
    public CooperativeTask Cooperate<T>(IEnumerator<T> iterator)
    {
        ArgumentNullException.ThrowIfNull(iterator);
        return Cooperate(CooperativeSteps.Of(iterator));
    }

    /// <summary>Adds a task that runs <paramref name="iterable"/>'s enumerator; see <see cref="Cooperate{T}(IEnumerator{T})"/>.</summary>
    /// <example>
    /// <code>
    /// cooperator.Cooperate(Enumerable.Range(0, 1000).Select(i => Process(i)));
    /// </code>
    /// </example>
    public CooperativeTask Cooperate<T>(IEnumerable<T> iterable)
    {
        ArgumentNullException.ThrowIfNull(iterable);
        return Cooperate(iterable.GetEnumerator());
    }

    /// <summary>
    /// Adds a task that steps through <paramref name="sequence"/>: one item per step. While the next item is not ready,
    /// the task waits without holding the cooperator, as for a yielded Deferred (CO3); an exception from the sequence
    /// fails the task. Once exhausted, the sequence's enumerator is disposed before the task is done.
    /// </summary>
    /// <remarks>
    /// The task resumes on the thread of the <see cref="SynchronizationContext"/> current when a step found the next
    /// item not ready (the reactor's thread, while it runs); see <see cref="Deferred.FromTask(Task, SynchronizationContext?)"/>.
    /// </remarks>
    /// <example>
    /// <code>
    /// await cooperator.Coiterate(ReadLinesAsync(path));
    /// </code>
    /// </example>
    public CooperativeTask Cooperate<T>(IAsyncEnumerable<T> sequence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        return Cooperate(new AsyncSteps<T>(sequence.GetAsyncEnumerator(cancellationToken)));
    }

    /// <summary>
    /// Runs <paramref name="iterator"/> as a task and returns a Deferred that fires with it once it is exhausted, or
    /// fails with what it threw or with the reason it was ended (CO2).
    /// </summary>
    /// <example>
    /// <code>
    /// Deferred&lt;IEnumerator&lt;int&gt;&gt; done = cooperator.Coiterate(Rows().GetEnumerator());
    /// </code>
    /// </example>
    public Deferred<IEnumerator<T>> Coiterate<T>(IEnumerator<T> iterator)
    {
        ArgumentNullException.ThrowIfNull(iterator);
        return Cooperate(iterator).WhenDone().AddCallback(_ => iterator);
    }

    /// <summary>Runs <paramref name="iterable"/>'s enumerator as a task; see <see cref="Coiterate{T}(IEnumerator{T})"/>.</summary>
    /// <example>
    /// <code>
    /// await cooperator.Coiterate(Rows());
    /// </code>
    /// </example>
    public Deferred<IEnumerator<T>> Coiterate<T>(IEnumerable<T> iterable)
    {
        ArgumentNullException.ThrowIfNull(iterable);
        return Coiterate(iterable.GetEnumerator());
    }

    /// <summary>
    /// Runs <paramref name="sequence"/> as a task (see <see cref="Cooperate{T}(IAsyncEnumerable{T}, CancellationToken)"/>)
    /// and returns a Deferred that fires once it is exhausted and disposed, or fails with what it threw or with the
    /// reason the task was ended.
    /// </summary>
    /// <example>
    /// <code>
    /// cooperator.Coiterate(ReadLinesAsync(path)).AddCallback(() => Console.WriteLine("all read"));
    /// </code>
    /// </example>
    public Deferred<Unit> Coiterate<T>(IAsyncEnumerable<T> sequence, CancellationToken cancellationToken = default) =>
        Cooperate(sequence, cancellationToken).WhenDone().AddCallback(_ => Unit.Value);
}
