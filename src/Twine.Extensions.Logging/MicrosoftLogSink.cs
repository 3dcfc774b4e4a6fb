using Microsoft.Extensions.Logging;
using Twine.Logging;
using MsLogLevel = Microsoft.Extensions.Logging.LogLevel;
using TwineLogLevel = Twine.Logging.LogLevel;

namespace Twine.Extensions.Logging;

/// <summary>
/// Sends Twine's log (<see cref="Log"/>) to a Microsoft.Extensions.Logging <see cref="ILogger"/>, so a Twine
/// reactor inside an ASP.NET Core or generic-host application logs where everything else does. A failure travels
/// as the entry's exception, with its original stack.
/// </summary>
/// <example>
/// <code>
/// using var factory = LoggerFactory.Create(b => b.AddConsole());
/// Log.Sink = new MicrosoftLogSink(factory);        // or: factory.UseForTwine();
/// </code>
/// </example>
public sealed class MicrosoftLogSink : ILogSink
{
    /// <summary>The category used when the sink is made from a factory.</summary>
    public const string Category = "Twine";

    private readonly ILogger _logger;

    /// <summary>Writes to <paramref name="logger"/>.</summary>
    public MicrosoftLogSink(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    /// <summary>Writes to a logger of category <see cref="Category"/> from <paramref name="factory"/>.</summary>
    public MicrosoftLogSink(ILoggerFactory factory)
        : this((factory ?? throw new ArgumentNullException(nameof(factory))).CreateLogger(Category))
    {
    }

    /// <inheritdoc />
    public void Write(in LogEvent e)
    {
        var level = Map(e.Level);
        if (!_logger.IsEnabled(level)) return;
        _logger.Log(level, default(EventId), e.Message, e.Failure?.Value, static (message, _) => message);
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
