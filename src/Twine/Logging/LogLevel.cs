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
