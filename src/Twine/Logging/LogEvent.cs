using Twine.Defer;

namespace Twine.Logging;

/// <summary>One log event: a level, a message, and the failure behind it, if any.</summary>
public readonly record struct LogEvent(LogLevel Level, string Message, Failure? Failure);
