namespace Twine.Net;

/// <summary>What a socket transport does when more than <see cref="ISocketTransport.WriteBufferLimit"/> bytes wait to be sent.</summary>
/// <example>
/// <code>
/// // A chat server: a user who does not read is dropped rather than buffered for without end.
/// socket.WriteBufferLimit = 1024 * 1024;
/// socket.WriteBufferPolicy = WriteBufferPolicy.Close;
/// </code>
/// </example>
public enum WriteBufferPolicy
{
    /// <summary>
    /// Stop reading from this connection until the buffer drains to <see cref="ISocketTransport.LowWaterMark"/>: a peer
    /// that sends but does not read is slowed to the pace it reads at (the right policy for echo-like protocols,
    /// whose output is caused by their input).
    /// </summary>
    PauseReading,

    /// <summary>Abort the connection with a <see cref="WriteBufferFullException"/>: for output the peer did not ask for (broadcasts).</summary>
    Close,
}
