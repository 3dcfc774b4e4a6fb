namespace Twine.Reactors;

/// <summary><see cref="Reactor.Stop"/> was called on a reactor that is not running, or is already stopping (RE1).</summary>
/// <example>
/// <code>
/// try { reactor.Stop(); } catch (ReactorNotRunningException) { /* already stopping: fine */ }
/// </code>
/// </example>
public sealed class ReactorNotRunningException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public ReactorNotRunningException() : base("Can't stop reactor that isn't running.") { }

    /// <summary>Creates the exception with a specific message.</summary>
    public ReactorNotRunningException(string message) : base(message) { }
}

/// <summary><see cref="Reactor.Run"/> was called while the reactor was already running (RE2).</summary>
/// <example>
/// <code>
/// reactor.CallWhenRunning(() => reactor.Run());   // throws ReactorAlreadyRunningException
/// </code>
/// </example>
public sealed class ReactorAlreadyRunningException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public ReactorAlreadyRunningException() : base("The reactor is already running.") { }
}

/// <summary><see cref="Reactor.Run"/> was called after the reactor had been stopped; only a crashed reactor may run again (RE2).</summary>
/// <example>
/// <code>
/// reactor.CallWhenRunning(reactor.Stop);
/// reactor.Run();
/// reactor.Run();   // throws ReactorNotRestartableException: create a new reactor instead
/// </code>
/// </example>
public sealed class ReactorNotRestartableException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public ReactorNotRestartableException() : base("The reactor cannot be restarted once stopped.") { }
}

/// <summary>
/// Thrown by (or failing the Deferred of) a <see cref="Reactor.React(Func{Reactor, string[], Defer.Deferred}, string[], ReactorOptions?)"/>
/// main function to choose the process exit code, like Python's <c>SystemExit</c> (R1).
/// </summary>
/// <example>
/// <code>
/// return Reactor.React(async (reactor, args) =>
/// {
///     if (args.Length == 0) throw new SystemExitException(2);
///     await DoWork(reactor, args[0]);
/// }, args);
/// </code>
/// </example>
public sealed class SystemExitException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SystemExitException(int code) : base($"Exit with code {code}.") => Code = code;

    /// <summary>The exit code <c>React</c> returns.</summary>
    public int Code { get; }
}
