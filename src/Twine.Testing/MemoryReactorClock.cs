using Twine.Time;

namespace Twine.Testing;

/// <summary>
/// A <see cref="MemoryReactor"/> that is also a manual <see cref="Time.Clock"/> (MR2): for code that needs both a
/// reactor to connect with and timers, such as <see cref="Net.ReconnectingClientFactory"/> or
/// <see cref="Net.ClientCreator{TProtocol}"/>.
/// </summary>
/// <remarks>
/// <see cref="MemoryReactor.Run"/> on this reactor jumps the clock from one delayed call to the next while the reactor
/// runs (Trio's "autojump"; Twisted's react tests drive their fake reactor the same way), and stops once no call is
/// left (MR4). So <see cref="Reactors.Reactor.React{TReactor}(TReactor, Func{TReactor, string[], Defer.Deferred}, string[])"/>
/// runs a program that waits an hour in no time, and <see cref="Now"/> then says how long it took.
/// </remarks>
/// <example>
/// <code>
/// var reactor = new MemoryReactorClock();
/// var factory = new ReconnectingClientFactory(() => new Client()) { Clock = reactor };
/// reactor.ConnectTcp("example.org", 80, factory);
/// reactor.Advance(TimeSpan.FromSeconds(5));
/// </code>
/// </example>
public class MemoryReactorClock : MemoryReactor, IReactorTime
{
    /// <summary>The clock behind <see cref="IReactorTime"/>; advance it with <see cref="Advance"/>.</summary>
    public Clock Clock { get; } = new();

    /// <inheritdoc />
    public TimeSpan Now => Clock.Now;

    /// <inheritdoc />
    public IDelayedCall CallLater(TimeSpan delay, Action action) => Clock.CallLater(delay, action);

    /// <inheritdoc />
    public IDelayedCall CallLater<TState>(TimeSpan delay, Action<TState> action, TState state) => Clock.CallLater(delay, action, state);

    /// <inheritdoc />
    public IReadOnlyList<IDelayedCall> GetDelayedCalls() => Clock.GetDelayedCalls();

    /// <summary>Moves time forward and runs what became due (see <see cref="Time.Clock.Advance"/>).</summary>
    public void Advance(TimeSpan amount) => Clock.Advance(amount);

    /// <summary>While running, advances the clock exactly to the next delayed call, until none is left (MR4).</summary>
    protected override void RunUntilStopped()
    {
        while (IsRunning && Clock.GetDelayedCalls() is { Count: > 0 } calls)
        {
            var next = calls.Min(c => c.Time);
            Clock.Advance(next > Now ? next - Now : TimeSpan.Zero);
        }
    }

    /// <summary>Advances by each amount in turn (see <see cref="Time.Clock.Pump"/>).</summary>
    public void Pump(params IEnumerable<TimeSpan> amounts) => Clock.Pump(amounts);
}
