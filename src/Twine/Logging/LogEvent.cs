using Twine.Defer;

namespace Twine.Logging;

/// <summary>
/// One log event: a level, a message, the failure behind it if any, and — for Twine's own events — a stable
/// <see cref="Id"/> and the Twine type that logged it (<see cref="Source"/>), which adapters turn into an event id and
/// a category.
/// </summary>
/// <example>
/// <code>
/// Log.Observed += e =&gt; Console.WriteLine($"{e.Source?.Name} {e.Id}: {e.Message}");
/// </code>
/// </example>
public readonly record struct LogEvent(LogLevel Level, string Message, Failure? Failure)
{
    /// <summary>What the event is about (<see cref="LogEventId.Unspecified"/> for events logged without an id).</summary>
    public LogEventId Id { get; init; }

    /// <summary>The type whose code logged the event, or null when not given.</summary>
    public Type? Source { get; init; }
}
