using Twine.Defer;

namespace Twine.Processes;

/// <summary>
/// The base class for talking to a child process, after Twisted's <c>ProcessProtocol</c>. Override what you need; the
/// defaults do nothing (except route <see cref="ChildDataReceived"/> and <see cref="ChildConnectionLost"/> by
/// descriptor).
/// </summary>
/// <remarks>
/// The order of calls is Twisted's (PR1): <see cref="ConnectionMade"/> first; output as it arrives;
/// <see cref="ChildConnectionLost"/> once per pipe as each closes; <see cref="ProcessExited"/> as soon as the child is
/// reaped (pipes may still be open, if the child left a grandchild holding them); and <see cref="ProcessEnded"/> last,
/// once the child has exited <em>and</em> every pipe is closed. Both exit calls get the same reason:
/// <see cref="ProcessDoneException"/> for exit code 0, else <see cref="ProcessTerminatedException"/> (PR2).
/// </remarks>
/// <example>
/// <code>
/// sealed class Collect : ProcessProtocol
/// {
///     public readonly MemoryStream Out = new();
///     public override void ConnectionMade() { Transport.Write("hello\n"u8); Transport.CloseStdin(); }
///     public override void OutReceived(ReadOnlySpan&lt;byte&gt; data) => Out.Write(data);
///     public override void ProcessEnded(Failure reason) => Console.WriteLine(reason.GetErrorMessage());
/// }
/// </code>
/// </example>
public class ProcessProtocol
{
    private IProcessTransport? _transport;

    /// <summary>The running process. Set by <see cref="MakeConnection"/>.</summary>
    /// <exception cref="InvalidOperationException">Read before the process was started.</exception>
    public IProcessTransport Transport =>
        _transport ?? throw new InvalidOperationException($"{GetType().Name} is not connected to a process yet.");

    /// <summary>Sets <see cref="Transport"/> and calls <see cref="ConnectionMade"/>.</summary>
    public virtual void MakeConnection(IProcessTransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        _transport = transport;
        ConnectionMade();
    }

    /// <summary>The process has started and its pipes are ready.</summary>
    public virtual void ConnectionMade() { }

    /// <summary>Data from the child's descriptor <paramref name="childFd"/>; by default 1 goes to <see cref="OutReceived"/> and 2 to <see cref="ErrReceived"/>.</summary>
    public virtual void ChildDataReceived(int childFd, ReadOnlySpan<byte> data)
    {
        if (childFd == 1) OutReceived(data);
        else if (childFd == 2) ErrReceived(data);
    }

    /// <summary>Data from the child's stdout. <paramref name="data"/> is only valid during the call.</summary>
    public virtual void OutReceived(ReadOnlySpan<byte> data) { }

    /// <summary>Data from the child's stderr. <paramref name="data"/> is only valid during the call.</summary>
    public virtual void ErrReceived(ReadOnlySpan<byte> data) { }

    /// <summary>The pipe of child descriptor <paramref name="childFd"/> closed; by default routes 0, 1, 2 to the three methods below.</summary>
    public virtual void ChildConnectionLost(int childFd)
    {
        switch (childFd)
        {
            case 0: InConnectionLost(); break;
            case 1: OutConnectionLost(); break;
            case 2: ErrConnectionLost(); break;
        }
    }

    /// <summary>The child's stdin pipe closed.</summary>
    public virtual void InConnectionLost() { }

    /// <summary>The child's stdout pipe closed.</summary>
    public virtual void OutConnectionLost() { }

    /// <summary>The child's stderr pipe closed.</summary>
    public virtual void ErrConnectionLost() { }

    /// <summary>The child has exited and been reaped; some pipes may still be open.</summary>
    public virtual void ProcessExited(Failure reason) { }

    /// <summary>The child has exited and every pipe is closed: the last call.</summary>
    public virtual void ProcessEnded(Failure reason) { }
}
