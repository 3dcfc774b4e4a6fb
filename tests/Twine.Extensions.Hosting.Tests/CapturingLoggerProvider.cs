using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Twine.Extensions.Hosting.Tests;

/// <summary>One entry a <see cref="CapturingLoggerProvider"/> saw.</summary>
internal sealed record CapturedEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);

/// <summary>Records every log entry of every category, from any thread.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<CapturedEntry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void Dispose() { }

    private sealed class CapturingLogger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue(new CapturedEntry(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
