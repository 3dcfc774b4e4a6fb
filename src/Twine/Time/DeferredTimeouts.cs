using Twine.Defer;

namespace Twine.Time;

/// <summary>
/// <c>AddTimeout</c> (Twisted's <c>Deferred.addTimeout</c>): time is a layer above Deferreds, so the timeout is an
/// extension that lives here and works with any <see cref="IReactorTime"/>, the real reactor or a test's
/// <see cref="Clock"/>.
/// </summary>
/// <example>
/// <code>
/// var page = Fetch(url).AddTimeout(TimeSpan.FromSeconds(10), reactor);
/// page.AddErrback(f => { f.Trap&lt;DeferredTimeoutException&gt;(); return "too slow"; });
/// </code>
/// </example>
public static class DeferredTimeouts
{
    /// <summary>
    /// Cancels <paramref name="deferred"/> if it has not fired within <paramref name="timeout"/> on
    /// <paramref name="clock"/> (T1–T6). Only callbacks added before this call see the
    /// <see cref="CancelledException"/>; after them, a cancellation caused by the timeout becomes a
    /// <see cref="DeferredTimeoutException"/> (or whatever <paramref name="onTimeoutCancel"/> returns or throws).
    /// The timer is disarmed when the Deferred fires.
    /// </summary>
    public static Deferred<T> AddTimeout<T>(this Deferred<T> deferred, TimeSpan timeout, IReactorTime clock,
        Func<Outcome<T>, TimeSpan, T>? onTimeoutCancel = null)
    {
        ArgumentNullException.ThrowIfNull(deferred);
        ArgumentNullException.ThrowIfNull(clock);
        return deferred.CancelWhen(timeout, fire =>
        {
            var call = clock.CallLater(timeout, fire);
            return () => { if (call.IsActive) call.Cancel(); };
        }, onTimeoutCancel);
    }
}
