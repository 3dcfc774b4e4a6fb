namespace Twine.Logging;

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
