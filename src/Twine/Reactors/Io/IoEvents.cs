namespace Twine.Reactors.Io;

/// <summary>
/// Readiness of a file descriptor, and (using only <see cref="Readable"/> and <see cref="Writable"/>) the interest a
/// handler registers. The same flags on every backend.
/// </summary>
[Flags]
internal enum IoEvents
{
    /// <summary>No interest: the descriptor stays registered but is taken out of the kernel's set (see remarks on <see cref="IoRegistration"/>).</summary>
    None = 0,

    /// <summary>Data (or EOF, or a pending connection on a listening socket) can be read without blocking.</summary>
    Readable = 1,

    /// <summary>The descriptor can accept writes (or a non-blocking connect finished).</summary>
    Writable = 2,

    /// <summary>An error is pending on the descriptor (EPOLLERR/POLLERR/POLLNVAL). Reported whatever the interest.</summary>
    Error = 4,

    /// <summary>The peer hung up (EPOLLHUP/POLLHUP). Reported whatever the interest.</summary>
    HangUp = 8,
}
