using Twine.Time;

namespace Twine.Testing;

/// <summary>
/// A <see cref="MemoryReactor"/> that is also a manual <see cref="Time.Clock"/> (MR2): for code that needs both a
/// reactor to connect with and timers, such as <see cref="Net.ReconnectingClientFactory"/> or
/// <see cref="Net.ClientCreator{TProtocol}"/>.
/// </summary>
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

    /// <summary>Advances by each amount in turn (see <see cref="Time.Clock.Pump"/>).</summary>
    public void Pump(params IEnumerable<TimeSpan> amounts) => Clock.Pump(amounts);
}
