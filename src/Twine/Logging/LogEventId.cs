namespace Twine.Logging;

/// <summary>
/// What a Twine log event is about, as a stable number: the value never changes between versions, so a log query or
/// alert can rely on it (Microsoft.Extensions.Logging carries it as the entry's <c>EventId</c>, with this name).
/// Grouped by area in hundreds; new events get new numbers, retired ones are never reused.
/// </summary>
/// <example>
/// <code>
/// Log.Observed += e =&gt; { if (e.Id == LogEventId.UnhandledDeferredError) alerts.Raise(e.Message); };
/// </code>
/// </example>
public enum LogEventId
{
    /// <summary>An event logged without an id (application code calling <see cref="Log.Info(string)"/>).</summary>
    Unspecified = 0,

    /// <summary>A Deferred was garbage-collected (or left) with an unhandled failure.</summary>
    UnhandledDeferredError = 100,
    /// <summary>A rejected Promise had no rejection handler.</summary>
    UnhandledPromiseRejection = 101,
    /// <summary>A canceller threw while a DeferredList was being cancelled.</summary>
    DeferredListCancellerFailed = 102,

    /// <summary>A delayed call (timer) threw.</summary>
    DelayedCallFailed = 200,
    /// <summary>Disposing a cooperative task's iterator or asynchronous sequence threw.</summary>
    CooperativeDisposalFailed = 201,
    /// <summary>A LoopingCall's function failed after the loop's Deferred was cancelled.</summary>
    LoopingCallFailed = 202,

    /// <summary>Work run on the reactor's thread pool threw.</summary>
    ThreadPoolWorkFailed = 300,

    /// <summary>A call passed in with <c>CallFromThread</c> threw.</summary>
    ThreadCallFailed = 400,
    /// <summary>A call-soon call threw.</summary>
    CallSoonFailed = 401,
    /// <summary>Flushing a transport's writes at the end of a loop turn threw.</summary>
    FlushFailed = 402,
    /// <summary>An I/O handler threw while handling readiness.</summary>
    IoHandlerFailed = 403,
    /// <summary>A system event trigger (startup, shutdown) threw or failed.</summary>
    SystemEventTriggerFailed = 404,
    /// <summary>Disconnecting a descriptor at shutdown threw.</summary>
    ShutdownDisconnectFailed = 405,
    /// <summary>SIGINT or SIGTERM arrived and the reactor is stopping.</summary>
    SignalReceived = 406,
    /// <summary>The main function given to <c>Reactor.React</c> failed.</summary>
    MainFunctionFailed = 407,

    /// <summary>A factory (or datagram protocol) is starting: its first port or connector.</summary>
    FactoryStarting = 500,
    /// <summary>A factory (or datagram protocol) is stopping: its last port or connector went away.</summary>
    FactoryStopping = 501,
    /// <summary>A port started listening.</summary>
    PortListening = 502,
    /// <summary>A port stopped listening.</summary>
    PortClosed = 503,
    /// <summary>accept(2) failed.</summary>
    AcceptFailed = 504,
    /// <summary>accept(2) ran out of descriptors or memory; the port backs off.</summary>
    AcceptOutOfResources = 505,
    /// <summary>A factory's BuildProtocol threw; the connection was closed.</summary>
    BuildProtocolFailed = 506,
    /// <summary>A protocol's callback (DataReceived, ConnectionMade...) threw; the connection was closed.</summary>
    ProtocolCallbackFailed = 507,
    /// <summary>A protocol's ConnectionLost threw.</summary>
    ConnectionLostFailed = 508,
    /// <summary>Stopping a transport's registered producer threw.</summary>
    ProducerStopFailed = 509,
    /// <summary>Reporting a lost connection to its connector threw.</summary>
    LossReportFailed = 510,
    /// <summary>Stopping a port threw.</summary>
    StopListeningFailed = 511,
    /// <summary>Reading a datagram failed.</summary>
    DatagramReadFailed = 512,
    /// <summary>A reconnecting factory gave up on a connector.</summary>
    ReconnectAbandoned = 513,
    /// <summary>A reconnecting factory will try again after a delay.</summary>
    ReconnectScheduled = 514,
    /// <summary>Stopping a connector after its endpoint Deferred was cancelled threw.</summary>
    EndpointCancelFailed = 515,

    /// <summary>Sending TLS close_notify failed.</summary>
    TlsCloseNotifyFailed = 600,
    /// <summary>Disposing a TLS session threw.</summary>
    TlsSessionDisposeFailed = 601,
    /// <summary>A TLS continuation ran off the connection's thread (a bug in Twine).</summary>
    TlsThreadViolation = 602,

    /// <summary>A StatefulStringProtocol state has no handler.</summary>
    StateHandlerMissing = 700,
    /// <summary>An AMP responder failed with an undeclared error; answered UNKNOWN and closed the connection.</summary>
    AmpResponderFailed = 701,
    /// <summary>An AMP command sent without asking for an answer failed; the connection was dropped.</summary>
    AmpUnansweredCommandFailed = 702,
    /// <summary>AMP closed a connection because of a protocol error.</summary>
    AmpConnectionClosed = 703,

    /// <summary>A web resource returned a body after finishing the request; the body was dropped.</summary>
    WebBodyAfterFinish = 800,
    /// <summary>Rendering a web request threw; the client got a 500.</summary>
    WebRenderFailed = 801,
    /// <summary>One line of a web server's access log (combined log format).</summary>
    WebAccess = 802,
    /// <summary>A web server rejected a malformed or oversized request.</summary>
    WebBadRequest = 803,
}
