using Twine.Defer;

namespace Twine.Logging;

/// <summary>How serious a log event is.</summary>
public enum LogLevel
{
    /// <summary>Detail for debugging.</summary>
    Debug,
    /// <summary>Normal operation (a factory starting, a port listening).</summary>
    Info,
    /// <summary>Something unexpected that Twine recovered from.</summary>
    Warning,
    /// <summary>An error: a callback threw, a failure went unhandled.</summary>
    Error,
    /// <summary>An error that may lose work.</summary>
    Critical,
}

/// <summary>One log event: a level, a message, and the failure behind it, if any.</summary>
public readonly record struct LogEvent(LogLevel Level, string Message, Failure? Failure);

/// <summary>Where log events go. Implement it to send Twine's log to your logging framework.</summary>
/// <example>
/// <code>
/// Log.Sink = new MySink();   // or Log.Sink = null to silence Twine
/// </code>
/// </example>
public interface ILogSink
{
    /// <summary>Records one event. Called from whichever thread logged it; must be thread-safe.</summary>
    void Write(in LogEvent e);
}

/// <summary>
/// Twine's log: a replaceable <see cref="Sink"/> (stderr by default) plus an <see cref="Observed"/> hook, so tests
/// and applications can watch events without replacing the sink.
/// </summary>
public static class Log
{
    private static volatile ILogSink? s_sink = new StderrLogSink();

    /// <summary>The sink events are written to; null discards them. Defaults to stderr.</summary>
    public static ILogSink? Sink
    {
        get => s_sink;
        set => s_sink = value;
    }

    /// <summary>Raised for every event, in addition to the sink.</summary>
    public static event Action<LogEvent>? Observed;

    /// <summary>Logs an event.</summary>
    public static void Write(LogLevel level, string message, Failure? failure = null)
    {
        var e = new LogEvent(level, message, failure);
        try
        {
            s_sink?.Write(e);
            Observed?.Invoke(e);
        }
        catch (Exception)
        {
            // A broken sink or observer must never take the reactor down with it.
        }
    }

    /// <summary>Logs an informational message.</summary>
    public static void Info(string message) => Write(LogLevel.Info, message);

    /// <summary>Logs an error with its failure.</summary>
    public static void Error(string message, Failure? failure = null) => Write(LogLevel.Error, message, failure);

    /// <summary>Logs an error from an exception.</summary>
    public static void Error(string message, Exception exception) => Write(LogLevel.Error, message, new Failure(exception));
}

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
