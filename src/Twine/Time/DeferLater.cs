using Twine.Defer;

namespace Twine.Time;

/// <summary>
/// Deferred-returning timers on any <see cref="IReactorTime"/> — the reactor, or <see cref="Clock"/> in tests:
/// <see cref="DeferLater{T}(IReactorTime, TimeSpan, Func{T})"/> (Twisted's <c>task.deferLater</c>, DLa1–DLa2) and
/// <see cref="Sleep"/>, plus the clock's shared <see cref="Cooperator"/> (CO9).
/// </summary>
/// <remarks>
/// The Deferreds returned here can be cancelled until they fire: cancelling cancels the timer, so nothing is left
/// pending and the function is never called, and the Deferred fails with <see cref="CancelledException"/> (DLa2).
/// </remarks>
/// <example>
/// <code>
/// async Deferred&lt;int&gt; SlowSquare(IReactorTime reactor, int x)
/// {
///     await reactor.Sleep(TimeSpan.FromSeconds(1));
///     return x * x;
/// }
///
/// reactor.DeferLater(TimeSpan.FromSeconds(3), () => 5 * 7)
///        .AddCallback(r => Console.WriteLine($"result is {r}"));
/// </code>
/// </example>
public static partial class ReactorTimeExtensions
{
    /// <summary>
    /// Calls <paramref name="function"/> after <paramref name="delay"/> and fires the returned Deferred with its value,
    /// or fails it with what it threw (DLa1). Cancelling before then cancels the call (DLa2).
    /// </summary>
    /// <remarks>
    /// As with <c>Task.Run</c>, an expression lambda's value is the result: <c>() =&gt; flag = true</c> gives a
    /// <c>Deferred&lt;bool&gt;</c> that fires with <c>true</c>. Write a block, <c>() =&gt; { flag = true; }</c>, for a
    /// <c>Deferred&lt;Unit&gt;</c>. A function that returns a Deferred is waited on (DLa1, CH1), whichever overload it
    /// binds to.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    /// <example>
    /// <code>
    /// Deferred&lt;string&gt; d = clock.DeferLater(TimeSpan.FromSeconds(2), () => "ding");
    /// </code>
    /// </example>
    public static Deferred<T> DeferLater<T>(this IReactorTime clock, TimeSpan delay, Func<T> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Timer(clock, delay).AddCallback<T>(_ => function());
    }

    /// <summary>
    /// Calls <paramref name="function"/> after <paramref name="delay"/> and waits for the Deferred it returns: the
    /// result is that Deferred's (DLa1, CH1). Cancelling before the call cancels the timer (DLa2); cancelling after it
    /// cancels the Deferred being waited on.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    /// <example>
    /// <code>
    /// Deferred&lt;Page&gt; retry = reactor.DeferLater(TimeSpan.FromSeconds(5), () => client.Get(url));
    /// </code>
    /// </example>
    // Preferred when both overloads fit, as in DeferLater<int>(delay, () => throw e), which would otherwise be
    // ambiguous (CS0121); either gives the same failed Deferred.
    [System.Runtime.CompilerServices.OverloadResolutionPriority(1)]
    public static Deferred<T> DeferLater<T>(this IReactorTime clock, TimeSpan delay, Func<Deferred<T>> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return Timer(clock, delay).AddCallback<T>(_ => function());
    }

    /// <summary>
    /// Calls <paramref name="action"/> (if given) after <paramref name="delay"/>; the Deferred fires with no value, or
    /// fails with what the action threw (DLa1). Cancelling before then cancels the call (DLa2).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    /// <example>
    /// <code>
    /// clock.DeferLater(TimeSpan.FromMinutes(1), () => cache.Clear());
    /// </code>
    /// </example>
    public static Deferred<Unit> DeferLater(this IReactorTime clock, TimeSpan delay, Action? action = null)
    {
        var timer = Timer(clock, delay);
        if (action is null) return timer;
        return timer.AddCallback(_ =>
        {
            action();
            return Unit.Value;
        });
    }

    /// <summary>
    /// A Deferred that fires with no value after <paramref name="delay"/>: <c>await clock.Sleep(...)</c> in an
    /// <c>async Deferred</c> method. Cancelling it (or the async method awaiting it) cancels the timer.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    /// <example>
    /// <code>
    /// async Deferred Tick(IReactorTime reactor)
    /// {
    ///     await reactor.Sleep(TimeSpan.FromSeconds(1));
    ///     Console.WriteLine("tick");
    /// }
    /// </code>
    /// </example>
    public static Deferred<Unit> Sleep(this IReactorTime clock, TimeSpan delay) => Timer(clock, delay);

    // The Deferred that the timer fires; its canceller cancels the timer. The canceller only runs while the Deferred
    // is unfired, which is exactly while the timer is pending.
    private static Deferred<Unit> Timer(IReactorTime clock, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(clock);
        IDelayedCall? call = null;
        var deferred = new Deferred<Unit>(_ => call!.Cancel());
        call = clock.CallLater(delay, static d => d.Callback(Unit.Value), deferred);
        return deferred;
    }
}
