using Twine.Defer;

namespace Twine.Time;

// The clock's shared cooperator (CO9): Twisted's module-level task.cooperate / task.coiterate, per clock.
public static partial class ReactorTimeExtensions
{
    /// <summary>
    /// Runs <paramref name="iterable"/> as a task on <paramref name="clock"/>'s shared cooperator
    /// (<see cref="Cooperator.For(IReactorTime)"/>), as Twisted's module-level <c>cooperate</c> does on the global one (CO9).
    /// </summary>
    /// <example>
    /// <code>
    /// CooperativeTask task = reactor.Cooperate(Work());
    /// </code>
    /// </example>
    public static CooperativeTask Cooperate(this IReactorTime clock, IEnumerable<object?> iterable) =>
        Cooperator.For(clock).Cooperate(iterable);

    /// <summary>As <see cref="Cooperate(IReactorTime, IEnumerable{object?})"/>, for an iterator.</summary>
    /// <example>
    /// <code>
    /// CooperativeTask task = reactor.Cooperate(Work().GetEnumerator());
    /// </code>
    /// </example>
    public static CooperativeTask Cooperate(this IReactorTime clock, IEnumerator<object?> iterator) =>
        Cooperator.For(clock).Cooperate(iterator);

    /// <summary>
    /// Runs <paramref name="iterable"/> on <paramref name="clock"/>'s shared cooperator and returns a Deferred that
    /// fires with its enumerator when it is exhausted, or fails with what it threw (CO2, CO9).
    /// </summary>
    /// <example>
    /// <code>
    /// await reactor.Coiterate(Work());
    /// </code>
    /// </example>
    public static Deferred<IEnumerator<object?>> Coiterate(this IReactorTime clock, IEnumerable<object?> iterable) =>
        Cooperator.For(clock).Coiterate(iterable);

    /// <summary>As <see cref="Coiterate(IReactorTime, IEnumerable{object?})"/>, for an iterator.</summary>
    /// <example>
    /// <code>
    /// reactor.Coiterate(Work().GetEnumerator()).AddCallback(_ => Console.WriteLine("done"));
    /// </code>
    /// </example>
    public static Deferred<IEnumerator<object?>> Coiterate(this IReactorTime clock, IEnumerator<object?> iterator) =>
        Cooperator.For(clock).Coiterate(iterator);

    /// <summary>As <see cref="Cooperator.Cooperate{T}(IEnumerable{T})"/>, on <paramref name="clock"/>'s shared cooperator (CO9).</summary>
    /// <example>
    /// <code>
    /// reactor.Cooperate(Enumerable.Range(0, 1000).Select(i => Process(i)));
    /// </code>
    /// </example>
    public static CooperativeTask Cooperate<T>(this IReactorTime clock, IEnumerable<T> iterable) =>
        Cooperator.For(clock).Cooperate(iterable);

    /// <summary>As <see cref="Cooperator.Cooperate{T}(IEnumerator{T})"/>, on <paramref name="clock"/>'s shared cooperator (CO9).</summary>
    /// <example>
    /// <code>
    /// reactor.Cooperate(Rows().GetEnumerator());
    /// </code>
    /// </example>
    public static CooperativeTask Cooperate<T>(this IReactorTime clock, IEnumerator<T> iterator) =>
        Cooperator.For(clock).Cooperate(iterator);

    /// <summary>As <see cref="Cooperator.Cooperate{T}(IAsyncEnumerable{T}, CancellationToken)"/>, on <paramref name="clock"/>'s shared cooperator (CO9).</summary>
    /// <example>
    /// <code>
    /// reactor.Cooperate(ReadLinesAsync(path));
    /// </code>
    /// </example>
    public static CooperativeTask Cooperate<T>(this IReactorTime clock, IAsyncEnumerable<T> sequence, CancellationToken cancellationToken = default) =>
        Cooperator.For(clock).Cooperate(sequence, cancellationToken);

    /// <summary>As <see cref="Cooperator.Coiterate{T}(IEnumerable{T})"/>, on <paramref name="clock"/>'s shared cooperator (CO2, CO9).</summary>
    /// <example>
    /// <code>
    /// await reactor.Coiterate(Rows());
    /// </code>
    /// </example>
    public static Deferred<IEnumerator<T>> Coiterate<T>(this IReactorTime clock, IEnumerable<T> iterable) =>
        Cooperator.For(clock).Coiterate(iterable);

    /// <summary>As <see cref="Cooperator.Coiterate{T}(IEnumerator{T})"/>, on <paramref name="clock"/>'s shared cooperator (CO2, CO9).</summary>
    /// <example>
    /// <code>
    /// reactor.Coiterate(Rows().GetEnumerator()).AddCallback(_ => Console.WriteLine("done"));
    /// </code>
    /// </example>
    public static Deferred<IEnumerator<T>> Coiterate<T>(this IReactorTime clock, IEnumerator<T> iterator) =>
        Cooperator.For(clock).Coiterate(iterator);

    /// <summary>As <see cref="Cooperator.Coiterate{T}(IAsyncEnumerable{T}, CancellationToken)"/>, on <paramref name="clock"/>'s shared cooperator (CO9).</summary>
    /// <example>
    /// <code>
    /// await reactor.Coiterate(ReadLinesAsync(path));
    /// </code>
    /// </example>
    public static Deferred<Unit> Coiterate<T>(this IReactorTime clock, IAsyncEnumerable<T> sequence, CancellationToken cancellationToken = default) =>
        Cooperator.For(clock).Coiterate(sequence, cancellationToken);
}
