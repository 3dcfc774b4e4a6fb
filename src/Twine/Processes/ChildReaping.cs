namespace Twine.Processes;

/// <summary>
/// How the native process layer learns that a child has exited (an internal switch, so the tests can run every
/// process test on each path on one Linux machine, as they run the socket tests on each socket layer).
/// </summary>
internal enum ChildReaping
{
    /// <summary>pidfd where the kernel has it (Linux 5.3+), else SIGCHLD.</summary>
    Auto,

    /// <summary>A pidfd per child, polled like a socket.</summary>
    PidFd,

    /// <summary>SIGCHLD, coalesced and posted to the loop, then <c>waitpid(pid, WNOHANG)</c> for each watched child.</summary>
    SigChld,

    /// <summary>A timer per child calling <c>waitpid(pid, WNOHANG)</c>: only where SIGCHLD never arrives (it is ignored).</summary>
    Poll,
}
