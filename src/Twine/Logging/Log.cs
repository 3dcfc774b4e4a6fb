using Twine.Defer;

namespace Twine.Logging;

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

    /// <summary>Logs an event; false when the sink or an observer failed (the event may not have been written).</summary>
    public static bool Write(LogLevel level, string message, Failure? failure = null)
    {
        var e = new LogEvent(level, message, failure);
        try
        {
            s_sink?.Write(e);
            Observed?.Invoke(e);
            return true;
        }
        catch (Exception)
        {
            // A broken sink or observer must never take the reactor down with it.
            return false;
        }
    }

    /// <summary>Logs an informational message.</summary>
    public static void Info(string message) => Write(LogLevel.Info, message);

    /// <summary>Logs an error with its failure.</summary>
    public static void Error(string message, Failure? failure = null) => Write(LogLevel.Error, message, failure);

    /// <summary>Logs an error from an exception.</summary>
    public static void Error(string message, Exception exception) => Write(LogLevel.Error, message, new Failure(exception));
}
