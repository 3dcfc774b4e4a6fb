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
    public static bool Write(LogLevel level, string message, Failure? failure = null) =>
        Write(new LogEvent(level, message, failure));

    /// <summary>
    /// Logs one of Twine's own events: <paramref name="id"/> says what it is about and <paramref name="source"/> which
    /// type logged it (an adapter's event id and category). False when the sink or an observer failed.
    /// </summary>
    public static bool Write(LogLevel level, LogEventId id, Type source, string message, Failure? failure = null) =>
        Write(new LogEvent(level, message, failure) { Id = id, Source = source });

    /// <summary>Logs an informational event with its id and source type.</summary>
    public static void Info(LogEventId id, Type source, string message) => Write(LogLevel.Info, id, source, message);

    /// <summary>Logs an error event with its id, source type and failure.</summary>
    public static void Error(LogEventId id, Type source, string message, Failure? failure = null) => Write(LogLevel.Error, id, source, message, failure);

    /// <summary>Logs an error event with its id, source type and exception.</summary>
    public static void Error(LogEventId id, Type source, string message, Exception exception) =>
        Write(LogLevel.Error, id, source, message, new Failure(exception));

    private static bool Write(in LogEvent e)
    {
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
