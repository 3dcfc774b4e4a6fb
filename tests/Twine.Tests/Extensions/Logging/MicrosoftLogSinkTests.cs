using Microsoft.Extensions.Logging;
using Twine.Defer;
using Twine.Extensions.Logging;
using Twine.Logging;
using MsLogLevel = Microsoft.Extensions.Logging.LogLevel;
using TwineLogLevel = Twine.Logging.LogLevel;

namespace Twine.Tests.Extensions.Logging;

public class MicrosoftLogSinkTests
{
    private sealed class RecordingLogger(MsLogLevel minimum = MsLogLevel.Trace) : ILogger
    {
        public readonly List<(MsLogLevel Level, string Message, Exception? Exception, string Category)> Entries = [];
        public string Category = "";

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(MsLogLevel logLevel) => logLevel >= minimum;
        public void Log<TState>(MsLogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception), exception, Category));
    }

    private sealed class RecordingFactory : ILoggerFactory
    {
        public readonly RecordingLogger Logger = new();
        public ILogger CreateLogger(string categoryName)
        {
            Logger.Category = categoryName;
            return Logger;
        }
        public void AddProvider(ILoggerProvider provider) { }
        public void Dispose() { }
    }

    [Theory]
    [InlineData(TwineLogLevel.Debug, MsLogLevel.Debug)]
    [InlineData(TwineLogLevel.Info, MsLogLevel.Information)]
    [InlineData(TwineLogLevel.Warning, MsLogLevel.Warning)]
    [InlineData(TwineLogLevel.Error, MsLogLevel.Error)]
    [InlineData(TwineLogLevel.Critical, MsLogLevel.Critical)]
    public void LevelsMapAndMessagesPassThrough(TwineLogLevel twine, MsLogLevel expected)
    {
        var logger = new RecordingLogger();
        new MicrosoftLogSink(logger).Write(new LogEvent(twine, "reactor says hi", null));
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(expected, entry.Level);
        Assert.Equal("reactor says hi", entry.Message);
        Assert.Null(entry.Exception);
    }

    [Fact]
    public void AFailureTravelsAsTheOriginalException()
    {
        var logger = new RecordingLogger();
        var boom = new InvalidOperationException("boom");
        new MicrosoftLogSink(logger).Write(new LogEvent(TwineLogLevel.Error, "callback failed", new Failure(boom)));
        Assert.Same(boom, Assert.Single(logger.Entries).Exception);
    }

    [Fact]
    public void DisabledLevelsAreNotWritten()
    {
        var logger = new RecordingLogger(MsLogLevel.Warning);
        var sink = new MicrosoftLogSink(logger);
        sink.Write(new LogEvent(TwineLogLevel.Info, "quiet", null));
        sink.Write(new LogEvent(TwineLogLevel.Error, "loud", null));
        Assert.Equal(["loud"], logger.Entries.Select(e => e.Message));
    }

    [Fact]
    public void AFactoryGivesTheTwineCategory()
    {
        var factory = new RecordingFactory();
        new MicrosoftLogSink(factory).Write(new LogEvent(TwineLogLevel.Info, "x", null));
        Assert.Equal(MicrosoftLogSink.Category, Assert.Single(factory.Logger.Entries).Category);
    }

    [Fact]
    public void UseForTwineInstallsTheSink()
    {
        var previous = Log.Sink;
        try
        {
            var factory = new RecordingFactory();
            factory.UseForTwine();
            Assert.IsType<MicrosoftLogSink>(Log.Sink);
        }
        finally
        {
            Log.Sink = previous;
        }
    }
}
