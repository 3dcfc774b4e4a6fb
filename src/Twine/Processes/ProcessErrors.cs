using Twine.Net;

namespace Twine.Processes;

/// <summary>The child exited with status 0: the reason given to <see cref="ProcessProtocol.ProcessEnded"/> (Twisted's <c>ProcessDone</c>).</summary>
/// <example><code>if (reason.Check&lt;ProcessDoneException&gt;()) Console.WriteLine("success");</code></example>
public sealed class ProcessDoneException : ConnectionDoneException
{
    /// <summary>Creates the exception.</summary>
    public ProcessDoneException() : base("A process has ended without apparent errors: process finished with exit code 0.") { }

    /// <summary>The exit code: always 0.</summary>
    public int ExitCode => 0;
}

/// <summary>
/// The child exited with a non-zero status or was killed by a signal (Twisted's <c>ProcessTerminated</c>). When a
/// process the reactor did not reap itself disappears (another part of the program reaped it), both are null.
/// </summary>
/// <example>
/// <code>
/// var ended = reason.Value as ProcessTerminatedException;
/// Console.WriteLine(ended?.Signal is { } s ? $"killed by signal {s}" : $"exit code {ended?.ExitCode}");
/// </code>
/// </example>
public sealed class ProcessTerminatedException : ConnectionLostException
{
    /// <summary>Creates the exception for an exit code or a signal.</summary>
    public ProcessTerminatedException(int? exitCode, int? signal) : base(Describe(exitCode, signal))
    {
        ExitCode = exitCode;
        Signal = signal;
    }

    /// <summary>The exit code, if the process exited.</summary>
    public int? ExitCode { get; }

    /// <summary>The signal that killed the process, if it was killed.</summary>
    public int? Signal { get; }

    private static string Describe(int? exitCode, int? signal) =>
        signal is { } s ? $"A process has ended with a probable error condition: process ended by signal {s}." :
        exitCode is { } c ? $"A process has ended with a probable error condition: process ended with exit code {c}." :
        "A process has ended with an unknown status: something else in this program reaped it.";
}

/// <summary>A signal was sent to a process that has already been reaped (Twisted's <c>ProcessExitedAlready</c>).</summary>
/// <example><code>try { process.SignalProcess("TERM"); } catch (ProcessExitedAlreadyException) { }</code></example>
public sealed class ProcessExitedAlreadyException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public ProcessExitedAlreadyException() : base("The process has already exited.") { }
}

/// <summary>posix_spawn refused to start the program, for a reason other than a missing or non-executable file.</summary>
/// <example><code>catch (ProcessSpawnException e) { Console.WriteLine($"errno {e.HResult}: {e.Message}"); }</code></example>
public sealed class ProcessSpawnException : IOException
{
    /// <summary>Creates the exception for <paramref name="executable"/> and the error number posix_spawn returned.</summary>
    public ProcessSpawnException(string executable, int errno, string detail)
        : base($"Cannot start {executable}: {detail}", errno)
    {
        Executable = executable;
        Errno = errno;
    }

    /// <summary>The program that could not be started.</summary>
    public string Executable { get; }

    /// <summary>The error number posix_spawn returned.</summary>
    public int Errno { get; }
}
