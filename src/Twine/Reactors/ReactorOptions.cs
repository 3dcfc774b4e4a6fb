namespace Twine.Reactors;

/// <summary>Settings for <see cref="Reactor.Create"/> and <see cref="Reactor.React(Func{Reactor, string[], Defer.Deferred}, string[], ReactorOptions?)"/>.</summary>
/// <example>
/// <code>
/// using var reactor = Reactor.Create(new ReactorOptions { InstallSignalHandlers = false, ThreadPoolSize = 4 });
/// </code>
/// </example>
public sealed class ReactorOptions
{
    /// <summary>The I/O backend; <see cref="ReactorBackend.Auto"/> by default.</summary>
    public ReactorBackend Backend { get; set; } = ReactorBackend.Auto;

    /// <summary>
    /// Whether SIGINT and SIGTERM stop the reactor cleanly (running the shutdown triggers) instead of killing the
    /// process. Installed in the "during startup" phase and removed at shutdown (RE4, RE9). True by default, as in
    /// Twisted's <c>reactor.run()</c>; tests that create many reactors turn it off.
    /// </summary>
    public bool InstallSignalHandlers { get; set; } = true;

    /// <summary>The most threads <see cref="Reactor.CallInThread"/> and <see cref="Reactor.DeferToThread{T}"/> use at once (10, as in Twisted).</summary>
    public int ThreadPoolSize { get; set; } = 10;
}
