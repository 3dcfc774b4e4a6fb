using System.Diagnostics;
using Twine.Logging;

namespace Twine.Defer;

/// <summary>
/// The debug side object of a Deferred (Twisted's <c>DebugInfo</c>, held by its <c>DeferredExtras</c>): creator
/// and first-invoker stacks in debug mode (D10), and the failure the chain ended with, reported as unhandled when the
/// Deferred is garbage-collected while still holding it (L1–L3). Only a failing or debugged Deferred allocates one.
/// </summary>
internal sealed class DebugInfo
{
    private string? _creator;
    private string? _invoker;
    private Failure? _failResult;

    public DebugInfo(bool captureCreator)
    {
        if (captureCreator) _creator = new StackTrace(2, fNeedFileInfo: true).ToString();
        GC.SuppressFinalize(this);
    }

    public void RecordInvoker() => _invoker ??= new StackTrace(2, fNeedFileInfo: true).ToString();

    public void SetFailure(Failure failure)
    {
        if (_failResult is null) GC.ReRegisterForFinalize(this);
        _failResult = failure;
    }

    public void ClearFailure()
    {
        if (_failResult is null) return;
        _failResult = null;
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// The " C:" (creator) and " I:" (first invoker) lines of an AlreadyCalled message and an unhandled-failure
    /// report in debug mode (D10, L1), in Twisted's layout so the two read alike; null when nothing was recorded.
    /// </summary>
    public string? Describe()
    {
        if (_creator is null && _invoker is null) return null;
        var text = "";
        if (_creator is not null) text += " C: Deferred was created:\n C:" + Prefix(_creator, "\n C:") + "\n";
        if (_invoker is not null) text += " I: First Invoker was:\n I:" + Prefix(_invoker, "\n I:") + "\n";
        return text;
    }

    private static string Prefix(string stack, string linePrefix) =>
        stack.TrimEnd().ReplaceLineEndings("\n").Replace("\n", linePrefix);

    ~DebugInfo()
    {
        var failure = _failResult;
        if (failure is null) return;
        var debug = Describe();
        Log.Write(LogLevel.Critical, LogEventId.UnhandledDeferredError, typeof(Deferred), "Unhandled error in Deferred:", failure);
        Log.Write(LogLevel.Error, LogEventId.UnhandledDeferredError, typeof(Deferred),
            (debug is null ? "" : "(debug: " + debug + ")\n") + "Unhandled Error\n" + failure.GetTraceback(), failure);
        Deferred.RaiseUnhandled(failure);
    }
}
