using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Twine.Logging;
using MsLogLevel = Microsoft.Extensions.Logging.LogLevel;
using TwineLogLevel = Twine.Logging.LogLevel;

namespace Twine.Extensions.Logging;

/// <summary>
/// Sends Twine's log (<see cref="Log"/>) to Microsoft.Extensions.Logging, so a Twine reactor inside an ASP.NET Core or
/// generic-host application logs where everything else does. Made from a factory, each event goes to the category of
/// the Twine type that logged it (<c>Twine.Net.Sockets.StreamPort</c>, <c>Twine.Defer.Deferred</c>...; events without
/// a source go to <see cref="Category"/>), with its <see cref="LogEventId"/> as the entry's event id and name. A
/// failure travels as the entry's exception, with its original stack.
/// </summary>
/// <example>
/// <code>
/// using var factory = LoggerFactory.Create(b => b.AddConsole());
/// Log.Sink = new MicrosoftLogSink(factory);        // or: factory.UseForTwine();
/// </code>
/// </example>
public sealed class MicrosoftLogSink : ILogSink
{
    /// <summary>The category of events that name no source type, and of every event when the sink has one logger.</summary>
    public const string Category = "Twine";

    private readonly ILogger _logger;
    private readonly ILoggerFactory? _factory;
    private readonly ConcurrentDictionary<Type, ILogger> _bySource = new();

    /// <summary>Writes every event to <paramref name="logger"/> (one category, whatever the source).</summary>
    public MicrosoftLogSink(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    /// <summary>Writes each event to a logger from <paramref name="factory"/> named after the Twine type that logged it.</summary>
    public MicrosoftLogSink(ILoggerFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factory = factory;
        _logger = factory.CreateLogger(Category);
    }

    /// <inheritdoc />
    public void Write(in LogEvent e)
    {
        var logger = LoggerFor(e.Source);
        var level = Map(e.Level);
        if (!logger.IsEnabled(level)) return;
        TwineLogMessages.Write(logger, level, e.Id, e.Message, e.Failure?.Value);
    }

    private ILogger LoggerFor(Type? source)
    {
        if (source is null || _factory is null) return _logger;
        if (_bySource.TryGetValue(source, out var logger)) return logger;
        return _bySource.GetOrAdd(source, _factory.CreateLogger(CategoryOf(source)));
    }

    /// <summary>
    /// The category for a type: its full name, without generic arity (<c>Deferred`1</c> is <c>Deferred</c>) and with
    /// nested types joined by a dot, as <c>ILogger&lt;T&gt;</c> names them.
    /// </summary>
    public static string CategoryOf(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var name = (type.FullName ?? type.Name).Replace('+', '.');
        int tick = name.IndexOf('`');
        return tick < 0 ? name : name[..tick];
    }

    /// <summary>Twine's levels in Microsoft's terms (Critical stays Critical; Twine has no Trace).</summary>
    public static MsLogLevel Map(TwineLogLevel level) => level switch
    {
        TwineLogLevel.Debug => MsLogLevel.Debug,
        TwineLogLevel.Info => MsLogLevel.Information,
        TwineLogLevel.Warning => MsLogLevel.Warning,
        TwineLogLevel.Error => MsLogLevel.Error,
        TwineLogLevel.Critical => MsLogLevel.Critical,
        _ => MsLogLevel.Information,
    };
}

/// <summary>Installs a <see cref="MicrosoftLogSink"/> as Twine's log sink.</summary>
/// <example>
/// <code>
/// builder.Services.AddLogging();
/// app.Services.GetRequiredService&lt;ILoggerFactory&gt;().UseForTwine();
/// </code>
/// </example>
public static class TwineLoggingExtensions
{
    /// <summary>Sends Twine's log to <paramref name="factory"/> from now on; returns the factory.</summary>
    public static ILoggerFactory UseForTwine(this ILoggerFactory factory)
    {
        Log.Sink = new MicrosoftLogSink(factory);
        return factory;
    }
}
