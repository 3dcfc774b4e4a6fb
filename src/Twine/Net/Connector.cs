using System.Net;
using Twine.Defer;
using Twine.Reactors.Io;
using Twine.Threading;
using Twine.Time;

namespace Twine.Net;

/// <summary>
/// The state machine every outgoing connector shares, after Twisted's <c>BaseConnector</c>: connect, time out, stop,
/// and report to the <see cref="ClientFactory"/>, starting and stopping it so that a hook that reconnects keeps it
/// started (PF4). A transport implementation (TCP, Unix) supplies the three abstract steps.
/// </summary>
/// <remarks>
/// <para>The transport reports the outcome of an attempt by calling <see cref="BuildProtocol"/> (connected) or
/// <see cref="ConnectionFailed"/>, and later <see cref="ConnectionLost"/>. It must report from a later reactor turn,
/// never from inside <see cref="BeginAttempt"/>, so that <see cref="ClientFactory.StartedConnecting"/> comes first.</para>
/// </remarks>
/// <example>
/// <code>
/// sealed class TcpConnector(ClientFactory factory, IPEndPoint to, IReactorTime clock)
///     : Connector(factory, TimeSpan.FromSeconds(30), clock)
/// {
///     public override EndPoint Destination => to;
///     protected override void BeginAttempt() { /* start a non-blocking connect(2) */ }
///     protected override void CancelAttempt() { /* close the half-open socket */ }
///     protected override void DropConnection() { /* transport.LoseConnection() */ }
/// }
/// </code>
/// </example>
public abstract class Connector : IConnector
{
    /// <summary>How the thread rule names a connector in its message.</summary>
    private const string Owner = "this connector";

    private readonly IReactorTime _clock;
    private readonly ReactorThread? _thread;
    private IDelayedCall? _timeoutCall;
    private bool _factoryStarted;
    private bool _attemptInProgress;

    /// <summary>Creates a disconnected connector.</summary>
    /// <param name="factory">The factory to build the protocol with and report to.</param>
    /// <param name="timeout">How long an attempt may take before it fails with <see cref="ConnectTimeoutException"/>; null for no limit.</param>
    /// <param name="clock">The clock the timeout runs on (the reactor).</param>
    protected Connector(ClientFactory factory, TimeSpan? timeout, IReactorTime clock)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(clock);
        Factory = factory;
        Timeout = timeout;
        _clock = clock;
    }

    /// <summary>
    /// A connector of the reactor's own socket layers: its <see cref="Connect"/>, <see cref="StopConnecting"/> and
    /// <see cref="Disconnect"/> keep the thread rule (TH7) of <paramref name="loop"/>.
    /// </summary>
    private protected Connector(ClientFactory factory, TimeSpan? timeout, IIoLoop loop)
        : this(factory, timeout, (IReactorTime)loop) => _thread = loop.Thread;

    /// <summary>The clock timeouts run on (the reactor); <see cref="ReconnectingClientFactory"/> schedules retries on it too.</summary>
    public IReactorTime Clock => _clock;

    /// <summary>The factory this connector reports to.</summary>
    public ClientFactory Factory { get; }

    /// <summary>How long an attempt may take; null for no limit.</summary>
    public TimeSpan? Timeout { get; }

    /// <summary>Where the connector is in its life.</summary>
    public ConnectorState State { get; private set; }

    /// <inheritdoc />
    public abstract EndPoint Destination { get; }

    /// <summary>
    /// Starts an attempt: starts the factory if this connector has not, begins connecting, arms the timeout, then calls
    /// <see cref="ClientFactory.StartedConnecting"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Already connecting or connected; or called off the reactor thread, on a reactor's connector (TH7).</exception>
    public void Connect()
    {
        _thread?.Check(nameof(Connect), Owner);
        if (State != ConnectorState.Disconnected)
            throw new InvalidOperationException($"Cannot connect in state {State}.");
        State = ConnectorState.Connecting;
        if (!_factoryStarted)
        {
            Factory.DoStart();
            _factoryStarted = true;
        }
        _attemptInProgress = true;
        BeginAttempt();
        if (Timeout is { } timeout)
            _timeoutCall = _clock.CallLater(timeout, static c => c.FailAttempt(new ConnectTimeoutException()), this);
        Factory.StartedConnecting(this);
    }

    /// <summary>Abandons the attempt in progress; the factory hears <see cref="StoppedConnectingException"/>.</summary>
    /// <exception cref="NotConnectingException">No attempt is in progress.</exception>
    /// <exception cref="InvalidOperationException">Called off the reactor thread, on a reactor's connector (TH7).</exception>
    public void StopConnecting()
    {
        _thread?.Check(nameof(StopConnecting), Owner);
        if (State != ConnectorState.Connecting) throw new NotConnectingException();
        State = ConnectorState.Disconnected;
        FailAttempt(new StoppedConnectingException());
    }

    /// <summary>Stops the attempt if connecting, closes the connection if connected, and otherwise does nothing.</summary>
    public void Disconnect()
    {
        _thread?.Check(nameof(Disconnect), Owner);
        if (State == ConnectorState.Connecting) StopConnecting();
        else if (State == ConnectorState.Connected) DropConnection();
    }

    /// <summary>
    /// For the transport: the connection is established. Marks the connector connected, disarms the timeout and asks
    /// the factory for the protocol (null refuses the connection).
    /// </summary>
    public IProtocol? BuildProtocol(EndPoint address)
    {
        State = ConnectorState.Connected;
        _attemptInProgress = false;
        CancelTimeout();
        return Factory.BuildProtocol(address);
    }

    /// <summary>
    /// For the transport: the attempt failed. Tells the factory, then stops it unless its hook connected again (PF4).
    /// </summary>
    public void ConnectionFailed(Failure reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        CancelTimeout();
        _attemptInProgress = false;
        State = ConnectorState.Disconnected;
        Factory.ClientConnectionFailed(this, reason);
        StopFactoryUnlessReconnecting();
    }

    /// <summary>
    /// For the transport: the established connection was lost. Tells the factory, then stops it unless its hook
    /// connected again (PF4).
    /// </summary>
    public void ConnectionLost(Failure reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        State = ConnectorState.Disconnected;
        Factory.ClientConnectionLost(this, reason);
        StopFactoryUnlessReconnecting();
    }

    /// <summary>Starts the platform connection attempt. Must not report its outcome synchronously.</summary>
    protected abstract void BeginAttempt();

    /// <summary>Releases the attempt in progress (it timed out or was stopped); the connector reports the failure itself.</summary>
    protected abstract void CancelAttempt();

    /// <summary>Closes the established connection (usually the transport's <see cref="ITransport.LoseConnection"/>).</summary>
    protected abstract void DropConnection();

    /// <summary>The connector and its destination, for log messages.</summary>
    public override string ToString() => $"<{GetType().Name} to {Destination}>";

    private void FailAttempt(Exception reason)
    {
        // The timeout and StopConnecting can race with the transport's own report; only the first one counts.
        if (!_attemptInProgress) return;
        _attemptInProgress = false;
        CancelAttempt();
        ConnectionFailed(new Failure(reason));
    }

    private void CancelTimeout()
    {
        if (_timeoutCall is { IsActive: true } call) call.Cancel();
        _timeoutCall = null;
    }

    private void StopFactoryUnlessReconnecting()
    {
        // A hook that called Connect() again moved us back to Connecting: the factory stays started for that attempt.
        if (State != ConnectorState.Disconnected) return;
        Factory.DoStop();
        _factoryStarted = false;
    }
}
