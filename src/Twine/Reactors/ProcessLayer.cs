namespace Twine.Reactors;

/// <summary>
/// Which code runs a reactor's child processes (<see cref="ReactorOptions.ProcessLayer"/>). A
/// <see cref="Processes.ProcessProtocol"/> hears the same calls in the same order on either.
/// </summary>
/// <example>
/// <code>
/// // Run children on the portable layer on Linux too (as TWINE_PROCESSES=portable would):
/// using var reactor = Reactor.Create(new ReactorOptions { ProcessLayer = ProcessLayer.Portable });
/// </code>
/// </example>
public enum ProcessLayer
{
    /// <summary>
    /// The <c>TWINE_PROCESSES</c> environment variable (<c>native</c> or <c>portable</c>) decides; otherwise native on
    /// Linux with a descriptor-polling backend, portable elsewhere (and with <see cref="ReactorBackend.Wait"/>).
    /// </summary>
    Auto,

    /// <summary>posix_spawn, non-blocking pipes on the loop, pidfd or SIGCHLD reaping: Linux only, any child descriptors.</summary>
    Native,

    /// <summary>
    /// <see cref="System.Diagnostics.Process"/> with redirected stdin, stdout and stderr, its streams read and written on
    /// the thread pool and every completion posted to the reactor thread: every OS .NET runs on; descriptors 0–2 only.
    /// </summary>
    Portable,
}
