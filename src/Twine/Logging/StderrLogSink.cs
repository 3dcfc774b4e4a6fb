namespace Twine.Logging;

/// <summary>The default sink: one line per event on stderr, with the traceback for failures.</summary>
public sealed class StderrLogSink : ILogSink
{
    private readonly object _gate = new();

    /// <inheritdoc />
    public void Write(in LogEvent e)
    {
        var text = e.Failure is null
            ? $"[twine] {e.Level}: {e.Message}"
            : $"[twine] {e.Level}: {e.Message}\n{e.Failure.GetTraceback()}";
        lock (_gate) Console.Error.WriteLine(text);
    }
}
