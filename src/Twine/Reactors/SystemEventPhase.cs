namespace Twine.Reactors;

/// <summary>
/// The three phases of a system event such as <see cref="Reactor.Startup"/> or <see cref="Reactor.Shutdown"/> (TP1).
/// </summary>
/// <example>
/// <code>
/// reactor.AddSystemEventTrigger(SystemEventPhase.Before, Reactor.Shutdown, () => FlushCachesAsync());
/// </code>
/// </example>
public enum SystemEventPhase
{
    /// <summary>Runs first; a trigger may return a <see cref="Defer.Deferred"/>, and the later phases wait for it (TP2).</summary>
    Before,

    /// <summary>Runs once every <see cref="Before"/> Deferred has fired: the event itself happens here.</summary>
    During,

    /// <summary>Runs right after <see cref="During"/>.</summary>
    After,
}
