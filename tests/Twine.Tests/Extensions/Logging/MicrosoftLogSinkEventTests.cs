using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Twine.Defer;
using Twine.Extensions.Logging;
using Twine.Logging;
using Twine.Time;
using MsLogLevel = Microsoft.Extensions.Logging.LogLevel;
using TwineLogLevel = Twine.Logging.LogLevel;

namespace Twine.Tests.Extensions.Logging;

/// <summary>Twine's events reach Microsoft.Extensions.Logging under one category per Twine type, with stable event ids.</summary>
public sealed class MicrosoftLogSinkEventTests
{
    private sealed record Entry(string Category, MsLogLevel Level, EventId Id, string Message, Exception? Exception);

    private sealed class RecordingFactory : ILoggerFactory
    {
        public readonly ConcurrentQueue<Entry> Entries = new();
        public readonly ConcurrentBag<string> Created = [];

        public ILogger CreateLogger(string categoryName)
        {
            Created.Add(categoryName);
            return new Recorder(this, categoryName);
        }

        public void AddProvider(ILoggerProvider provider) { }
        public void Dispose() { }

        private sealed class Recorder(RecordingFactory owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(MsLogLevel logLevel) => true;
            public void Log<TState>(MsLogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Entries.Enqueue(new Entry(category, logLevel, eventId, formatter(state, exception), exception));
        }
    }

    [Fact]
    public void EveryTwineEventIdArrivesWithItsNumberAndName()
    {
        var factory = new RecordingFactory();
        var sink = new MicrosoftLogSink(factory);
        foreach (var id in Enum.GetValues<LogEventId>())
            sink.Write(new LogEvent(TwineLogLevel.Warning, $"event {id}", null) { Id = id, Source = typeof(Clock) });

        var entries = factory.Entries.ToArray();
        Assert.Equal(Enum.GetValues<LogEventId>().Length, entries.Length);
        foreach (var (id, entry) in Enum.GetValues<LogEventId>().Zip(entries))
        {
            Assert.Equal((int)id, entry.Id.Id);
            Assert.Equal(id.ToString(), entry.Id.Name);
            Assert.Equal($"event {id}", entry.Message);
            Assert.Equal(MsLogLevel.Warning, entry.Level);
        }
    }

    [Fact]
    public void EventIdsAreStable()
    {
        // Published numbers: changing one breaks users' log queries and alerts.
        Assert.Equal(100, (int)LogEventId.UnhandledDeferredError);
        Assert.Equal(200, (int)LogEventId.DelayedCallFailed);
        Assert.Equal(406, (int)LogEventId.SignalReceived);
        Assert.Equal(502, (int)LogEventId.PortListening);
        Assert.Equal(507, (int)LogEventId.ProtocolCallbackFailed);
        Assert.Equal(801, (int)LogEventId.WebRenderFailed);
        Assert.Equal(Enum.GetValues<LogEventId>().Length, Enum.GetValues<LogEventId>().Select(v => (int)v).Distinct().Count());
    }

    [Fact]
    public void EachSourceTypeGetsItsOwnCategoryCreatedOnce()
    {
        var factory = new RecordingFactory();
        var sink = new MicrosoftLogSink(factory);
        sink.Write(new LogEvent(TwineLogLevel.Info, "a", null) { Id = LogEventId.FactoryStarting, Source = typeof(Twine.Net.Factory) });
        sink.Write(new LogEvent(TwineLogLevel.Info, "b", null) { Id = LogEventId.FactoryStopping, Source = typeof(Twine.Net.Factory) });
        sink.Write(new LogEvent(TwineLogLevel.Error, "c", null) { Id = LogEventId.UnhandledDeferredError, Source = typeof(Deferred<int>) });
        sink.Write(new LogEvent(TwineLogLevel.Info, "d", null));

        Assert.Equal(
            ["Twine.Net.Factory", "Twine.Net.Factory", "Twine.Defer.Deferred", MicrosoftLogSink.Category],
            factory.Entries.Select(e => e.Category));
        Assert.Single(factory.Created, c => c == "Twine.Net.Factory");
        Assert.Equal(0, factory.Entries.Last().Id.Id);
    }

    [Fact]
    public void CategoriesNameNestedAndGenericTypesAsILoggerOfTDoes()
    {
        Assert.Equal("Twine.Defer.Deferred", MicrosoftLogSink.CategoryOf(typeof(Deferred<string>)));
        Assert.Equal("Twine.Tests.Extensions.Logging.MicrosoftLogSinkEventTests.RecordingFactory", MicrosoftLogSink.CategoryOf(typeof(RecordingFactory)));
    }

    [Fact]
    public void ATimerThatThrowsIsLoggedAsDelayedCallFailedFromItsTwineType()
    {
        // RT4: the error is logged, not thrown; here it also carries its id and source.
        var seen = new ConcurrentQueue<LogEvent>();
        var boom = new InvalidOperationException("timer boom " + Guid.NewGuid());
        void Watch(LogEvent e)
        {
            if (e.Failure?.Value == boom) seen.Enqueue(e);
        }
        Log.Observed += Watch;
        try
        {
            // The reactor's timers log what a call throws (a manual Clock rethrows it to the test instead).
            using var reactor = Twine.Reactors.Reactor.Create(new Twine.Reactors.ReactorOptions { InstallSignalHandlers = false });
            reactor.CallLater(TimeSpan.Zero, () => throw boom);
            reactor.Iterate();
        }
        finally
        {
            Log.Observed -= Watch;
        }
        var e = Assert.Single(seen);
        Assert.Equal(LogEventId.DelayedCallFailed, e.Id);
        Assert.Equal(typeof(IDelayedCall), e.Source);
        Assert.Equal(TwineLogLevel.Error, e.Level);
    }
}
