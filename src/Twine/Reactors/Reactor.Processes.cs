using Twine.Processes;
using Twine.Processes.Portable;

namespace Twine.Reactors;

// Child processes: the reactor's IReactorProcess role, delegating to the process layer it was created with.
public sealed partial class Reactor : IReactorProcess
{
    /// <inheritdoc />
    /// <remarks>
    /// On <see cref="ProcessLayer.Portable"/> only descriptors 0, 1 and 2 can be mapped (a pipe, or inherited from the
    /// same descriptor of this process); anything else throws <see cref="NotSupportedException"/>.
    /// </remarks>
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
        return ProcessLayer == ProcessLayer.Portable
            ? PortableProcess.Spawn(this, protocol, executable, args, env, workingDirectory, childFds)
            : ChildProcess.Spawn(this, protocol, executable, args, env, workingDirectory, childFds, _options.ChildReaping);
    }
}
