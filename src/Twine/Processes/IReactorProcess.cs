namespace Twine.Processes;

/// <summary>
/// The reactor role that runs other programs without blocking the loop, after Twisted's <c>IReactorProcess</c>.
/// <c>Twine.Reactors.Reactor</c> implements it.
/// </summary>
/// <example>
/// <code>
/// sealed class Printer : ProcessProtocol
/// {
///     public override void OutReceived(ReadOnlySpan&lt;byte&gt; data) => Console.Write(Encoding.UTF8.GetString(data));
///     public override void ProcessEnded(Failure reason) => Console.WriteLine(reason.GetErrorMessage());
/// }
/// reactor.SpawnProcess(new Printer(), "ls", ["ls", "-l", "/"]);
/// </code>
/// </example>
public interface IReactorProcess
{
    /// <summary>
    /// Starts <paramref name="executable"/> with <paramref name="args"/> as its whole argument vector (as in Twisted,
    /// <c>args[0]</c> is the program's own name; an empty list passes just <paramref name="executable"/>). A name without
    /// '/' is looked up on the PATH (the child's PATH if <paramref name="env"/> sets one). The protocol's
    /// <see cref="ProcessProtocol.MakeConnection"/> runs before this returns.
    /// </summary>
    /// <param name="protocol">Receives the child's output and its exit.</param>
    /// <param name="executable">A path, or a name to look up on the PATH.</param>
    /// <param name="args">The argument vector, program name first.</param>
    /// <param name="env">The child's whole environment; null passes this process's environment.</param>
    /// <param name="workingDirectory">The child's working directory; null keeps this process's.</param>
    /// <param name="childFds">Child descriptor → what it is connected to; null is <see cref="ChildFd.Default"/>.</param>
    /// <exception cref="FileNotFoundException">The executable (or the working directory) does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The executable is not executable.</exception>
    /// <exception cref="ProcessSpawnException">posix_spawn (or, on the portable layer, the OS) refused for another reason.</exception>
    /// <exception cref="NotSupportedException">On the portable process layer: a descriptor map it cannot honour (beyond 0–2, or closing one).</exception>
    IProcessTransport SpawnProcess(ProcessProtocol protocol, string executable, IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string>? env = null, string? workingDirectory = null,
        IReadOnlyDictionary<int, ChildFd>? childFds = null);
}
