using Microsoft.Extensions.Logging;
using Twine.Logging;
using MsLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Twine.Extensions.Logging;

/// <summary>
/// One source-generated <c>[LoggerMessage]</c> method per <see cref="LogEventId"/>, so each Twine event reaches
/// Microsoft.Extensions.Logging with its stable id and name. Twine formats its messages itself, so the template is
/// the message; the level is Twine's, mapped per event.
/// </summary>
internal static partial class TwineLogMessages
{
    /// <summary>Writes one event under its id; an id this version does not know goes out as it is, unnamed.</summary>
    public static void Write(ILogger logger, MsLogLevel level, LogEventId id, string message, Exception? exception)
    {
        switch (id)
        {
            case LogEventId.Unspecified: Unspecified(logger, level, message, exception); break;
            case LogEventId.UnhandledDeferredError: UnhandledDeferredError(logger, level, message, exception); break;
            case LogEventId.UnhandledPromiseRejection: UnhandledPromiseRejection(logger, level, message, exception); break;
            case LogEventId.DeferredListCancellerFailed: DeferredListCancellerFailed(logger, level, message, exception); break;
            case LogEventId.DelayedCallFailed: DelayedCallFailed(logger, level, message, exception); break;
            case LogEventId.CooperativeDisposalFailed: CooperativeDisposalFailed(logger, level, message, exception); break;
            case LogEventId.LoopingCallFailed: LoopingCallFailed(logger, level, message, exception); break;
            case LogEventId.ThreadPoolWorkFailed: ThreadPoolWorkFailed(logger, level, message, exception); break;
            case LogEventId.ThreadCallFailed: ThreadCallFailed(logger, level, message, exception); break;
            case LogEventId.CallSoonFailed: CallSoonFailed(logger, level, message, exception); break;
            case LogEventId.FlushFailed: FlushFailed(logger, level, message, exception); break;
            case LogEventId.IoHandlerFailed: IoHandlerFailed(logger, level, message, exception); break;
            case LogEventId.SystemEventTriggerFailed: SystemEventTriggerFailed(logger, level, message, exception); break;
            case LogEventId.ShutdownDisconnectFailed: ShutdownDisconnectFailed(logger, level, message, exception); break;
            case LogEventId.SignalReceived: SignalReceived(logger, level, message, exception); break;
            case LogEventId.MainFunctionFailed: MainFunctionFailed(logger, level, message, exception); break;
            case LogEventId.FactoryStarting: FactoryStarting(logger, level, message, exception); break;
            case LogEventId.FactoryStopping: FactoryStopping(logger, level, message, exception); break;
            case LogEventId.PortListening: PortListening(logger, level, message, exception); break;
            case LogEventId.PortClosed: PortClosed(logger, level, message, exception); break;
            case LogEventId.AcceptFailed: AcceptFailed(logger, level, message, exception); break;
            case LogEventId.AcceptOutOfResources: AcceptOutOfResources(logger, level, message, exception); break;
            case LogEventId.BuildProtocolFailed: BuildProtocolFailed(logger, level, message, exception); break;
            case LogEventId.ProtocolCallbackFailed: ProtocolCallbackFailed(logger, level, message, exception); break;
            case LogEventId.ConnectionLostFailed: ConnectionLostFailed(logger, level, message, exception); break;
            case LogEventId.ProducerStopFailed: ProducerStopFailed(logger, level, message, exception); break;
            case LogEventId.LossReportFailed: LossReportFailed(logger, level, message, exception); break;
            case LogEventId.StopListeningFailed: StopListeningFailed(logger, level, message, exception); break;
            case LogEventId.DatagramReadFailed: DatagramReadFailed(logger, level, message, exception); break;
            case LogEventId.ReconnectAbandoned: ReconnectAbandoned(logger, level, message, exception); break;
            case LogEventId.ReconnectScheduled: ReconnectScheduled(logger, level, message, exception); break;
            case LogEventId.EndpointCancelFailed: EndpointCancelFailed(logger, level, message, exception); break;
            case LogEventId.TlsCloseNotifyFailed: TlsCloseNotifyFailed(logger, level, message, exception); break;
            case LogEventId.TlsSessionDisposeFailed: TlsSessionDisposeFailed(logger, level, message, exception); break;
            case LogEventId.TlsThreadViolation: TlsThreadViolation(logger, level, message, exception); break;
            case LogEventId.StateHandlerMissing: StateHandlerMissing(logger, level, message, exception); break;
            case LogEventId.AmpResponderFailed: AmpResponderFailed(logger, level, message, exception); break;
            case LogEventId.AmpUnansweredCommandFailed: AmpUnansweredCommandFailed(logger, level, message, exception); break;
            case LogEventId.AmpConnectionClosed: AmpConnectionClosed(logger, level, message, exception); break;
            case LogEventId.WebBodyAfterFinish: WebBodyAfterFinish(logger, level, message, exception); break;
            case LogEventId.WebRenderFailed: WebRenderFailed(logger, level, message, exception); break;
            case LogEventId.WebAccess: WebAccess(logger, level, message, exception); break;
            case LogEventId.WebBadRequest: WebBadRequest(logger, level, message, exception); break;
            default:
                // A newer Twine core than this adapter: keep the number, without a generated name.
                logger.Log(level, new EventId((int)id), message, exception, static (m, _) => m);
                break;
        }
    }

    [LoggerMessage(EventId = 0, EventName = nameof(LogEventId.Unspecified), Message = "{Message}")]
    private static partial void Unspecified(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 100, EventName = nameof(LogEventId.UnhandledDeferredError), Message = "{Message}")]
    private static partial void UnhandledDeferredError(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 101, EventName = nameof(LogEventId.UnhandledPromiseRejection), Message = "{Message}")]
    private static partial void UnhandledPromiseRejection(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 102, EventName = nameof(LogEventId.DeferredListCancellerFailed), Message = "{Message}")]
    private static partial void DeferredListCancellerFailed(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 200, EventName = nameof(LogEventId.DelayedCallFailed), Message = "{Message}")]
    private static partial void DelayedCallFailed(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 201, EventName = nameof(LogEventId.CooperativeDisposalFailed), Message = "{Message}")]
    private static partial void CooperativeDisposalFailed(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 202, EventName = nameof(LogEventId.LoopingCallFailed), Message = "{Message}")]
    private static partial void LoopingCallFailed(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 300, EventName = nameof(LogEventId.ThreadPoolWorkFailed), Message = "{Message}")]
    private static partial void ThreadPoolWorkFailed(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 400, EventName = nameof(LogEventId.ThreadCallFailed), Message = "{Message}")]
    private static partial void ThreadCallFailed(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 401, EventName = nameof(LogEventId.CallSoonFailed), Message = "{Message}")]
    private static partial void CallSoonFailed(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 402, EventName = nameof(LogEventId.FlushFailed), Message = "{Message}")]
    private static partial void FlushFailed(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 403, EventName = nameof(LogEventId.IoHandlerFailed), Message = "{Message}")]
    private static partial void IoHandlerFailed(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 404, EventName = nameof(LogEventId.SystemEventTriggerFailed), Message = "{Message}")]
    private static partial void SystemEventTriggerFailed(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 405, EventName = nameof(LogEventId.ShutdownDisconnectFailed), Message = "{Message}")]
    private static partial void ShutdownDisconnectFailed(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 406, EventName = nameof(LogEventId.SignalReceived), Message = "{Message}")]
    private static partial void SignalReceived(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 407, EventName = nameof(LogEventId.MainFunctionFailed), Message = "{Message}")]
    private static partial void MainFunctionFailed(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 500, EventName = nameof(LogEventId.FactoryStarting), Message = "{Message}")]
    private static partial void FactoryStarting(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 501, EventName = nameof(LogEventId.FactoryStopping), Message = "{Message}")]
    private static partial void FactoryStopping(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 502, EventName = nameof(LogEventId.PortListening), Message = "{Message}")]
    private static partial void PortListening(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 503, EventName = nameof(LogEventId.PortClosed), Message = "{Message}")]
    private static partial void PortClosed(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 504, EventName = nameof(LogEventId.AcceptFailed), Message = "{Message}")]
    private static partial void AcceptFailed(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 505, EventName = nameof(LogEventId.AcceptOutOfResources), Message = "{Message}")]
    private static partial void AcceptOutOfResources(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 506, EventName = nameof(LogEventId.BuildProtocolFailed), Message = "{Message}")]
    private static partial void BuildProtocolFailed(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 507, EventName = nameof(LogEventId.ProtocolCallbackFailed), Message = "{Message}")]
    private static partial void ProtocolCallbackFailed(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 508, EventName = nameof(LogEventId.ConnectionLostFailed), Message = "{Message}")]
    private static partial void ConnectionLostFailed(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 509, EventName = nameof(LogEventId.ProducerStopFailed), Message = "{Message}")]
    private static partial void ProducerStopFailed(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 510, EventName = nameof(LogEventId.LossReportFailed), Message = "{Message}")]
    private static partial void LossReportFailed(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 511, EventName = nameof(LogEventId.StopListeningFailed), Message = "{Message}")]
    private static partial void StopListeningFailed(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 512, EventName = nameof(LogEventId.DatagramReadFailed), Message = "{Message}")]
    private static partial void DatagramReadFailed(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 513, EventName = nameof(LogEventId.ReconnectAbandoned), Message = "{Message}")]
    private static partial void ReconnectAbandoned(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 514, EventName = nameof(LogEventId.ReconnectScheduled), Message = "{Message}")]
    private static partial void ReconnectScheduled(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 515, EventName = nameof(LogEventId.EndpointCancelFailed), Message = "{Message}")]
    private static partial void EndpointCancelFailed(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 600, EventName = nameof(LogEventId.TlsCloseNotifyFailed), Message = "{Message}")]
    private static partial void TlsCloseNotifyFailed(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 601, EventName = nameof(LogEventId.TlsSessionDisposeFailed), Message = "{Message}")]
    private static partial void TlsSessionDisposeFailed(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 602, EventName = nameof(LogEventId.TlsThreadViolation), Message = "{Message}")]
    private static partial void TlsThreadViolation(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 700, EventName = nameof(LogEventId.StateHandlerMissing), Message = "{Message}")]
    private static partial void StateHandlerMissing(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 701, EventName = nameof(LogEventId.AmpResponderFailed), Message = "{Message}")]
    private static partial void AmpResponderFailed(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 702, EventName = nameof(LogEventId.AmpUnansweredCommandFailed), Message = "{Message}")]
    private static partial void AmpUnansweredCommandFailed(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 703, EventName = nameof(LogEventId.AmpConnectionClosed), Message = "{Message}")]
    private static partial void AmpConnectionClosed(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 800, EventName = nameof(LogEventId.WebBodyAfterFinish), Message = "{Message}")]
    private static partial void WebBodyAfterFinish(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 801, EventName = nameof(LogEventId.WebRenderFailed), Message = "{Message}")]
    private static partial void WebRenderFailed(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 802, EventName = nameof(LogEventId.WebAccess), Message = "{Message}")]
    private static partial void WebAccess(ILogger logger, MsLogLevel level, string message, Exception? exception);

    [LoggerMessage(EventId = 803, EventName = nameof(LogEventId.WebBadRequest), Message = "{Message}")]
    private static partial void WebBadRequest(ILogger logger, MsLogLevel level, string message, Exception? exception);
}
