namespace Twine.Net;

/// <summary>
/// A transport that can send what it has buffered now, ahead of the loop's flush phase. A layer that just produced
/// something a peer is waiting on, after costly work, uses it so that the bytes do not wait for every other
/// connection's callbacks in the same iteration (TLS: a handshake flight, after its signature).
/// </summary>
internal interface IImmediateSend
{
    /// <summary>
    /// Sends what the kernel accepts of the buffer, on the reactor thread. What depends on the buffer draining
    /// (resuming producers, finishing a close) is still left to the flush phase, which stays scheduled.
    /// </summary>
    void SendNow();
}
