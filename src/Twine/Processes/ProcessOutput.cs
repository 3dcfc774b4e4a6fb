using Twine.Defer;

namespace Twine.Processes;

/// <summary>
/// Run a program and collect what it prints, after Twisted's <c>getProcessOutput</c> and
/// <c>getProcessOutputAndValue</c>. Unlike <see cref="IReactorProcess.SpawnProcess"/>, <c>args</c> here does not
/// include the program's name (as in Twisted, the executable is put in front).
/// </summary>
/// <example>
/// <code>
/// byte[] listing = await ProcessOutput.GetProcessOutput(reactor, "ls", ["-l", "/"]);
/// var (output, errors, code) = await ProcessOutput.GetProcessOutputAndValue(reactor, "sh", ["-c", "echo hi; exit 3"]);
/// </code>
/// </example>
public static class ProcessOutput
{
    /// <summary>
    /// Fires with everything the program wrote to stdout, whatever its exit code. Anything on stderr fails the result
    /// at once with <see cref="ProcessStderrException"/> and closes the pipes (Twisted's <c>errortoo=False</c>, PR6).
    /// A program that cannot be started fails the result with the spawn error.
    /// </summary>
    public static Deferred<byte[]> GetProcessOutput(IReactorProcess reactor, string executable, IReadOnlyList<string>? args = null,
        IReadOnlyDictionary<string, string>? env = null, string? workingDirectory = null)
    {
        var collector = new OutputCollector(stderrFails: true);
        return Start(reactor, collector, executable, args, env, workingDirectory).AddCallback(r => r.Out);
    }

    /// <summary>
    /// Fires with stdout, stderr and the exit code once the program has ended. A program killed by a signal fails
    /// the result with <see cref="ProcessSignalledException"/>, which carries the output and the signal (PR7).
    /// </summary>
    public static Deferred<(byte[] Out, byte[] Err, int ExitCode)> GetProcessOutputAndValue(IReactorProcess reactor, string executable,
        IReadOnlyList<string>? args = null, IReadOnlyDictionary<string, string>? env = null, string? workingDirectory = null)
    {
        var collector = new OutputCollector(stderrFails: false);
        return Start(reactor, collector, executable, args, env, workingDirectory);
    }

    private static Deferred<(byte[] Out, byte[] Err, int ExitCode)> Start(IReactorProcess reactor, OutputCollector collector,
        string executable, IReadOnlyList<string>? args, IReadOnlyDictionary<string, string>? env, string? workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        var argv = new List<string> { executable };
        if (args is not null) argv.AddRange(args);
        try
        {
            reactor.SpawnProcess(collector, executable, argv, env, workingDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Deferred.Fail<(byte[], byte[], int)>(ex);
        }
        return collector.Result;
    }

    /// <summary>Collects both outputs and fires once.</summary>
    private sealed class OutputCollector(bool stderrFails) : ProcessProtocol
    {
        private readonly MemoryStream _out = new();
        private readonly MemoryStream _err = new();

        public Deferred<(byte[] Out, byte[] Err, int ExitCode)> Result { get; } = new();

        public override void OutReceived(ReadOnlySpan<byte> data) => _out.Write(data);

        public override void ErrReceived(ReadOnlySpan<byte> data)
        {
            _err.Write(data);
            if (!stderrFails || Result.Called) return;
            Result.Errback(new Failure(new ProcessStderrException(_err.ToArray())));
            Transport.LoseConnection();
        }

        public override void ProcessEnded(Failure reason)
        {
            if (Result.Called) return;
            if (reason.Value is ProcessTerminatedException { Signal: { } signal })
            {
                Result.Errback(new Failure(new ProcessSignalledException(_out.ToArray(), _err.ToArray(), signal)));
                return;
            }
            int code = reason.Value is ProcessTerminatedException t ? t.ExitCode ?? -1 : 0;
            Result.Callback((_out.ToArray(), _err.ToArray(), code));
        }
    }
}

/// <summary><see cref="ProcessOutput.GetProcessOutput"/>: the program wrote to stderr.</summary>
/// <example><code>catch (ProcessStderrException e) { Console.Error.Write(Encoding.UTF8.GetString(e.Stderr)); }</code></example>
public sealed class ProcessStderrException : IOException
{
    /// <summary>Creates the exception with what had arrived on stderr.</summary>
    public ProcessStderrException(byte[] stderr)
        : base($"got stderr: {System.Text.Encoding.UTF8.GetString(stderr.AsSpan(0, Math.Min(stderr.Length, 200)))}") => Stderr = stderr;

    /// <summary>What had arrived on stderr when the result failed.</summary>
    public byte[] Stderr { get; }
}

/// <summary><see cref="ProcessOutput.GetProcessOutputAndValue"/>: the program was killed by a signal.</summary>
/// <example><code>catch (ProcessSignalledException e) { Console.WriteLine($"killed by {e.Signal} after {e.Out.Length} bytes"); }</code></example>
public sealed class ProcessSignalledException : Exception
{
    /// <summary>Creates the exception with the output so far and the signal.</summary>
    public ProcessSignalledException(byte[] output, byte[] errors, int signal) : base($"The process was killed by signal {signal}.")
    {
        Out = output;
        Err = errors;
        Signal = signal;
    }

    /// <summary>What the program wrote to stdout.</summary>
    public byte[] Out { get; }

    /// <summary>What the program wrote to stderr.</summary>
    public byte[] Err { get; }

    /// <summary>The signal that killed it.</summary>
    public int Signal { get; }
}
