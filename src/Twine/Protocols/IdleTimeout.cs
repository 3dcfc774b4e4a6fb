using Twine.Time;

namespace Twine.Protocols;

/// <summary>
/// Twisted's <c>TimeoutMixin</c> as a part a protocol holds: calls its time-out action when
/// <see cref="Period"/> passes without a <see cref="Reset"/>. A protocol resets it on activity (each
/// <c>DataReceived</c>) and disposes it when the connection is lost, so slow or silent peers are dropped while
/// busy ones stay.
/// </summary>
/// <example>
/// <code>
/// public sealed class Greeter : LineReceiver
/// {
///     private IdleTimeout? _idle;
///     public IReactorTime Clock { get; init; } = null!;
///
///     public override void ConnectionMade() =>
///         _idle = new IdleTimeout(Clock, TimeSpan.FromSeconds(30), () => Transport.AbortConnection());
///
///     protected override void LineReceived(ReadOnlySpan&lt;byte&gt; line) { _idle!.Reset(); SendLine(line); }
///
///     public override void ConnectionLost(Failure reason) => _idle?.Dispose();
/// }
/// </code>
/// </example>
public sealed class IdleTimeout : IDisposable
{
    private readonly IReactorTime _clock;
    private readonly Action _timedOut;
    private TimeSpan? _period;
    private IDelayedCall? _call;

    /// <summary>Starts the timer: <paramref name="timedOut"/> runs after <paramref name="period"/> without a <see cref="Reset"/>.</summary>
    /// <param name="clock">The reactor, or a test's <see cref="Clock"/>.</param>
    /// <param name="period">The idle period; null starts disabled (Twisted's <c>setTimeout(None)</c>).</param>
    /// <param name="timedOut">What to do on time-out, typically <c>Transport.AbortConnection()</c> or <c>LoseConnection()</c>.</param>
    public IdleTimeout(IReactorTime clock, TimeSpan? period, Action timedOut)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(timedOut);
        _clock = clock;
        _timedOut = timedOut;
        Period = period;
    }

    /// <summary>
    /// The idle period; setting it restarts the timer from now, and null disables it (Twisted's <c>setTimeout</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative period.</exception>
    public TimeSpan? Period
    {
        get => _period;
        set
        {
            if (value is { } p) ArgumentOutOfRangeException.ThrowIfLessThan(p, TimeSpan.Zero);
            _period = value;
            Cancel();
            if (value is { } period) _call = _clock.CallLater(period, static self => self.Expire(), this);
        }
    }

    /// <summary>True after the time-out action ran, until the period is set again.</summary>
    public bool HasTimedOut { get; private set; }

    /// <summary>Restarts the period from now (Twisted's <c>resetTimeout</c>): call it on each sign of life. Does nothing while disabled.</summary>
    public void Reset()
    {
        if (_call is { IsActive: true } call && _period is { } period) call.Reset(period);
    }

    /// <summary>Stops the timer for good (call it from <c>ConnectionLost</c>).</summary>
    public void Dispose()
    {
        _period = null;
        Cancel();
    }

    private void Expire()
    {
        _call = null;
        HasTimedOut = true;
        _timedOut();
    }

    private void Cancel()
    {
        HasTimedOut = false;
        if (_call is { IsActive: true } call) call.Cancel();
        _call = null;
    }
}
