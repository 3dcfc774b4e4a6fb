using Twine.Logging;

namespace Twine.Defer;

/// <summary>
/// The side object of a promise rejected while nobody was watching it: if the promise is garbage-collected before a
/// handler is attached, the finalizer reports the reason (the promise version of a Deferred's unhandled failure, L1).
/// Only rejected, unobserved promises allocate one, and attaching any handler dismisses it.
/// </summary>
internal sealed class RejectionTracker(Failure reason)
{
    private Failure? _reason = reason;

    public void Dismiss()
    {
        _reason = null;
        GC.SuppressFinalize(this);
    }

    ~RejectionTracker()
    {
        var reason = _reason;
        if (reason is null) return;
        Log.Write(LogLevel.Critical, LogEventId.UnhandledPromiseRejection, typeof(Promise), "Unhandled rejection in Promise:", reason);
        Log.Write(LogLevel.Error, LogEventId.UnhandledPromiseRejection, typeof(Promise), "Unhandled Rejection\n" + reason.GetTraceback(), reason);
        Promise.RaiseUnhandled(reason);
    }
}
