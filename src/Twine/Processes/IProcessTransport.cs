using Twine.Net;

namespace Twine.Processes;

/// <summary>
/// A running child process as its <see cref="ProcessProtocol"/> sees it, after Twisted's <c>IProcessTransport</c>.
/// <see cref="IConsumer.Write"/> writes to the child's stdin with flow control (a registered producer is paused while
/// more than 64 KiB wait); <see cref="IPushProducer.PauseProducing"/> stops reading the child's output, so a child that
/// writes faster than the protocol consumes blocks on its full pipe instead of filling the parent's memory.
/// Reactor thread only.
/// </summary>
/// <example>
/// <code>
/// var process = reactor.SpawnProcess(protocol, "/bin/cat", ["cat"]);
/// process.Write("hello\n"u8);
/// process.CloseStdin();          // cat sees EOF, echoes what it had and exits
/// </code>
/// </example>
public interface IProcessTransport : IConsumer, IPushProducer
{
    /// <summary>The child's process id; null once it has been reaped (so a recycled id can never be signalled).</summary>
    int? Pid { get; }

    /// <summary>Writes each piece to the child's stdin, in order.</summary>
    void WriteSequence(IEnumerable<ReadOnlyMemory<byte>> data);

    /// <summary>Writes to the child's descriptor <paramref name="childFd"/>, which must be a <see cref="ChildFd.Write"/> pipe.</summary>
    /// <exception cref="ArgumentException">There is no such pipe to write to.</exception>
    void WriteToChild(int childFd, ReadOnlySpan<byte> data);

    /// <summary>Closes the child's stdin once what is buffered for it has been written.</summary>
    void CloseStdin();

    /// <summary>Stops reading the child's stdout and closes the pipe (the child gets EPIPE/SIGPIPE if it writes on).</summary>
    void CloseStdout();

    /// <summary>Stops reading the child's stderr and closes the pipe.</summary>
    void CloseStderr();

    /// <summary>Closes the pipe of child descriptor <paramref name="childFd"/> (a write pipe once drained); nothing if already closed.</summary>
    void CloseChildFd(int childFd);

    /// <summary>Closes stdin (after draining), stdout and stderr, as Twisted's <c>loseConnection</c>. The process itself is not signalled.</summary>
    void LoseConnection();

    /// <summary>Sends a signal by name: "TERM", "KILL", "INT", "HUP", "QUIT", "USR1", "USR2", "STOP", "CONT", "ALRM", "PIPE" (a "SIG" prefix is allowed).</summary>
    /// <exception cref="ProcessExitedAlreadyException">The process has already been reaped.</exception>
    /// <exception cref="ArgumentException">An unknown signal name.</exception>
    void SignalProcess(string signal);

    /// <summary>Sends signal number <paramref name="signal"/>.</summary>
    /// <exception cref="ProcessExitedAlreadyException">The process has already been reaped.</exception>
    void SignalProcess(int signal);
}
