using Twine.Processes;

namespace Twine.Reactors;

// Child processes: the reactor's IReactorProcess role, delegating to Twine.Processes on its own I/O loop.
public sealed partial class Reactor : IReactorProcess
{
    /// <inheritdoc />
    /// <example>
    /// <code>
    /// var process = reactor.SpawnProcess(new Printer(), "/bin/cat", ["cat"]);
    /// process.Write("echo me\n"u8);
    /// process.CloseStdin();
    /// </code>
    /// </example>
    public IProcessTransport SpawnProcess(ProcessProtocol protocol, string executable, IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string>? env = null, string? workingDirectory = null,
        IReadOnlyDictionary<int, ChildFd>? childFds = null)
    {
        CheckNetworkCall();
        return ChildProcess.Spawn(this, protocol, executable, args, env, workingDirectory, childFds);
    }
}
