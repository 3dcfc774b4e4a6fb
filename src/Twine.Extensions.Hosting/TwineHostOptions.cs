using Twine.Reactors;

namespace Twine.Extensions.Hosting;

/// <summary>How <see cref="TwineServiceCollectionExtensions.AddTwine"/> runs the reactor inside a host.</summary>
/// <example>
/// <code>
/// builder.Services.AddTwine(options =&gt; { options.ThreadPoolSize = 4; options.RouteLogging = false; });
/// </code>
/// </example>
public sealed class TwineHostOptions
{
    /// <summary>The reactor's I/O backend (<see cref="ReactorBackend.Auto"/> by default).</summary>
    public ReactorBackend Backend { get; set; } = ReactorBackend.Auto;

    /// <summary>The most threads the reactor's thread pool uses at once (10, as in Twisted).</summary>
    public int ThreadPoolSize { get; set; } = 10;

    /// <summary>
    /// Whether Twine's log goes to the host's <c>ILoggerFactory</c> while the host runs (true by default): one category
    /// per Twine type, stable event ids. The previous sink comes back when the host stops.
    /// </summary>
    public bool RouteLogging { get; set; } = true;

    /// <summary>The name of the thread that runs the reactor, as debuggers and dumps show it.</summary>
    public string ThreadName { get; set; } = "Twine reactor";

    /// <summary>
    /// The reactor's settings. Signal handlers are always off: under a host, SIGINT and SIGTERM belong to the host's
    /// lifetime, which stops the reactor through <c>StopAsync</c>.
    /// </summary>
    internal ReactorOptions ToReactorOptions() => new()
    {
        Backend = Backend,
        ThreadPoolSize = ThreadPoolSize,
        InstallSignalHandlers = false,
    };
}
