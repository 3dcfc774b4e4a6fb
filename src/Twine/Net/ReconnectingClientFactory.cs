using Twine.Defer;
using Twine.Logging;
using Twine.Time;

namespace Twine.Net;

/// <summary>
/// A <see cref="ClientFactory"/> that reconnects after a failed or lost connection with exponential back-off, after
/// Twisted's <c>ReconnectingClientFactory</c>, with the same numbers (PF6).
/// </summary>
/// <remarks>
/// <para>Each retry multiplies <see cref="Delay"/> by <see cref="Factor"/> (e), caps it at <see cref="MaxDelay"/>, then
/// draws the actual delay from a normal distribution with mean <see cref="Delay"/> and standard deviation
/// <see cref="Delay"/> × <see cref="Jitter"/>. So the first reconnect waits about 2.72 s, not
/// <see cref="InitialDelay"/>, and because the jitter comes after the cap a delay can exceed <see cref="MaxDelay"/>.</para>
/// <para>The application must call <see cref="ResetDelay"/> once a connection succeeds (usually from the protocol's
/// <c>ConnectionMade</c>); building a protocol does not reset it.</para>
/// </remarks>
/// <example>
/// <code>
/// sealed class Client : Protocol
/// {
///     public override void ConnectionMade() => ((ReconnectingClientFactory)Factory!).ResetDelay();
/// }
/// var factory = new ReconnectingClientFactory(() => new Client()) { MaxDelay = TimeSpan.FromMinutes(1) };
/// reactor.ConnectTcp("example.org", 7000, factory);
/// // later: factory.StopTrying();
/// </code>
/// </example>
public class ReconnectingClientFactory : ClientFactory
{
    /// <summary>Twisted's jitter: the standard deviation of the delay as a fraction of it.</summary>
    public const double DefaultJitter = 0.119626565582;

    private TimeSpan _initialDelay = TimeSpan.FromSeconds(1);
    private double _delaySeconds = 1.0;
    private IDelayedCall? _callId;

    /// <summary>Creates a reconnecting factory with no protocol builder.</summary>
    public ReconnectingClientFactory() { }

    /// <summary>Creates a reconnecting factory that builds protocols with <paramref name="protocolBuilder"/>.</summary>
    public ReconnectingClientFactory(Func<IProtocol> protocolBuilder) : base(protocolBuilder) { }

    /// <summary>A reconnecting factory that builds a new <typeparamref name="T"/> per connection.</summary>
    public static new ReconnectingClientFactory ForProtocol<T>() where T : IProtocol, new() => new(() => new T());

    /// <summary>A reconnecting factory that builds each connection's protocol with <paramref name="build"/>.</summary>
    public static new ReconnectingClientFactory ForProtocol<T>(Func<T> build) where T : IProtocol
    {
        ArgumentNullException.ThrowIfNull(build);
        return new ReconnectingClientFactory(() => build());
    }

    /// <summary>The cap applied to <see cref="Delay"/> before jitter. Default one hour.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(3600);

    /// <summary>
    /// The delay <see cref="ResetDelay"/> restores; the first retry waits about this times <see cref="Factor"/>. Default
    /// one second. Setting it before the first retry also sets the current delay (Twisted's class attribute would not).
    /// </summary>
    public TimeSpan InitialDelay
    {
        get => _initialDelay;
        set
        {
            _initialDelay = value;
            if (Retries == 0) _delaySeconds = value.TotalSeconds;
        }
    }

    /// <summary>What the delay is multiplied by on each retry. Default e (2.718281828459045).</summary>
    public double Factor { get; set; } = Math.E;

    /// <summary>The standard deviation of the delay as a fraction of it; 0 disables jitter. Default 0.119626565582.</summary>
    public double Jitter { get; set; } = DefaultJitter;

    /// <summary>After this many consecutive retries, give up; null (the default) never gives up.</summary>
    public int? MaxRetries { get; set; }

    /// <summary>
    /// The clock reconnects are scheduled on: the reactor, or a <see cref="Time.Clock"/> in tests. When null, the first
    /// retry takes the clock of the <see cref="Net.Connector"/> it retries (the reactor that made it).
    /// </summary>
    public IReactorTime? Clock { get; set; }

    /// <summary>The random source for the jitter. Default <see cref="System.Random.Shared"/>; set a seeded one for reproducible delays.</summary>
    public Random Random { get; set; } = Random.Shared;

    /// <summary>The delay used for the last retry (or the initial delay before any).</summary>
    public TimeSpan Delay => TimeSpan.FromSeconds(_delaySeconds);

    /// <summary>Consecutive retries since the last <see cref="ResetDelay"/>.</summary>
    public int Retries { get; private set; }

    /// <summary>False after <see cref="StopTrying"/>, until <see cref="ResetDelay"/>.</summary>
    public bool ContinueTrying { get; private set; } = true;

    /// <summary>
    /// The connector last seen failing or losing its connection; <see cref="Retry"/> uses it by default and
    /// <see cref="StopTrying"/> stops its attempt.
    /// </summary>
    public IConnector? Connector { get; set; }

    /// <summary>The scheduled reconnect, if one is pending.</summary>
    public IDelayedCall? PendingRetry => _callId;

    /// <summary>Retries, unless <see cref="StopTrying"/> was called (PF6).</summary>
    public override void ClientConnectionFailed(IConnector connector, Failure reason)
    {
        if (!ContinueTrying) return;
        Connector = connector;
        Retry();
    }

    /// <summary>Retries, unless <see cref="StopTrying"/> was called (PF6).</summary>
    public override void ClientConnectionLost(IConnector connector, Failure reason)
    {
        if (!ContinueTrying) return;
        Connector = connector;
        Retry();
    }

    /// <summary>
    /// Schedules <paramref name="connector"/> (or the stored <see cref="Connector"/>) to connect again after the next
    /// back-off delay, unless trying has stopped or <see cref="MaxRetries"/> is exhausted (PF6).
    /// </summary>
    /// <exception cref="InvalidOperationException">No connector was given or stored, or there is no clock to schedule on.</exception>
    public void Retry(IConnector? connector = null)
    {
        if (!ContinueTrying)
        {
            if (Noisy) Log.Info(LogEventId.ReconnectAbandoned, typeof(ReconnectingClientFactory), $"Abandoning {connector} on explicit request");
            return;
        }

        connector ??= Connector ?? throw new InvalidOperationException("no connector to retry");
        // Twisted resolves the global reactor on first use; the nearest equivalent is the connector's own clock.
        var clock = Clock ??= (connector as Connector)?.Clock ?? throw new InvalidOperationException(
            "ReconnectingClientFactory.Clock is not set and the connector has no clock: give it the reactor (or a Clock in tests).");

        Retries++;
        if (MaxRetries is { } max && Retries > max)
        {
            if (Noisy) Log.Info(LogEventId.ReconnectAbandoned, typeof(ReconnectingClientFactory), $"Abandoning {connector} after {Retries} retries.");
            return;
        }

        _delaySeconds = Math.Min(_delaySeconds * Factor, MaxDelay.TotalSeconds);
        if (Jitter != 0)
            _delaySeconds = NormalVariate(Random, _delaySeconds, _delaySeconds * Jitter);

        if (Noisy) Log.Info(LogEventId.ReconnectScheduled, typeof(ReconnectingClientFactory), $"{connector} will retry in {(long)_delaySeconds} seconds");

        // A draw more than eight standard deviations below the mean would be negative; a clock refuses that, and
        // "now" is the faithful reading of such a delay.
        var delay = TimeSpan.FromSeconds(Math.Max(0, _delaySeconds));
        _callId = clock.CallLater(delay, static state =>
        {
            var (factory, target) = state;
            factory._callId = null;
            target.Connect();
        }, (this, connector));
    }

    /// <summary>
    /// Stops reconnecting: cancels a pending reconnect, clears <see cref="ContinueTrying"/>, and stops the stored
    /// connector's attempt in progress, if any (PF6).
    /// </summary>
    public void StopTrying()
    {
        if (_callId is { } call)
        {
            if (call.IsActive) call.Cancel();
            _callId = null;
        }
        ContinueTrying = false;
        if (Connector is { } connector)
        {
            try
            {
                connector.StopConnecting();
            }
            catch (NotConnectingException)
            {
                // Already connected or idle: there is no attempt to stop, and nothing will retry now.
            }
        }
    }

    /// <summary>
    /// Restores the initial delay and retry count and allows reconnecting again. Call it after a successful
    /// connection (PF6).
    /// </summary>
    public void ResetDelay()
    {
        _delaySeconds = InitialDelay.TotalSeconds;
        Retries = 0;
        _callId = null;
        ContinueTrying = true;
    }

    /// <summary>
    /// A normal variate by Kinderman and Monahan's ratio-of-uniforms method, the one Python's
    /// <c>random.normalvariate</c> uses, so a given stream of uniforms gives the delays Twisted would compute.
    /// </summary>
    internal static double NormalVariate(Random random, double mean, double standardDeviation)
    {
        double z;
        while (true)
        {
            var u1 = random.NextDouble();
            var u2 = 1.0 - random.NextDouble();
            z = NvMagicConst * (u1 - 0.5) / u2;
            if (z * z / 4.0 <= -Math.Log(u2)) break;
        }
        return mean + z * standardDeviation;
    }

    private static readonly double NvMagicConst = 4 * Math.Exp(-0.5) / Math.Sqrt(2.0);
}
