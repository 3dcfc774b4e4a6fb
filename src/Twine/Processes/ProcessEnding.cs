using Twine.Defer;
using Twine.Logging;

namespace Twine.Processes;

/// <summary>
/// Twisted's order of the last calls to a <see cref="ProcessProtocol"/>, shared by both process layers (PR1):
/// <see cref="ProcessProtocol.ChildConnectionLost"/> as each pipe closes, <see cref="ProcessProtocol.ProcessExited"/>
/// when the child is reaped, and <see cref="ProcessProtocol.ProcessEnded"/> once both have happened, whichever is last.
/// A protocol that throws from these is logged; the order goes on. Loop thread only.
/// </summary>
internal sealed class ProcessEnding(ProcessProtocol protocol)
{
    private Failure? _exitReason;
    private bool _ended;

    /// <summary>Pipes still open; set once the pipes exist.</summary>
    public int OpenPipes { get; set; }

    /// <summary>True once the child has been reaped.</summary>
    public bool Exited => _exitReason is not null;

    /// <summary>The reason both exit calls get: <see cref="ProcessDoneException"/> for exit code 0, else <see cref="ProcessTerminatedException"/> (PR2).</summary>
    public static Failure Reason(int? exitCode, int? signal) =>
        exitCode == 0 ? new Failure(new ProcessDoneException()) : new Failure(new ProcessTerminatedException(exitCode, signal));

    /// <summary>One pipe closed.</summary>
    public void PipeClosed(int childFd)
    {
        OpenPipes--;
        Call($"ChildConnectionLost({childFd})", () => protocol.ChildConnectionLost(childFd));
        MaybeEnded();
    }

    /// <summary>The child was reaped.</summary>
    public void ProcessExited(Failure reason)
    {
        _exitReason = reason;
        Call("ProcessExited", () => protocol.ProcessExited(reason));
        MaybeEnded();
    }

    private void MaybeEnded()
    {
        if (_ended || _exitReason is null || OpenPipes > 0) return;
        _ended = true;
        Call("ProcessEnded", () => protocol.ProcessEnded(_exitReason));
    }

    private void Call(string where, Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            Log.Error($"Unhandled error in {protocol.GetType().Name}.{where}", ex);
        }
    }
}
