namespace Twine.Net;

/// <summary>A connection was aborted because the peer did not read its output and the write buffer passed its limit.</summary>
/// <example>
/// <code>
/// public override void ConnectionLost(Failure reason)
/// {
///     if (reason.Check&lt;WriteBufferFullException&gt;() is not null) Log.Info("dropped a client that stopped reading");
/// }
/// </code>
/// </example>
public sealed class WriteBufferFullException : ConnectionLostException
{
    /// <summary>Creates the exception for a buffer that passed <paramref name="limit"/> bytes.</summary>
    public WriteBufferFullException(long limit)
        : base($"Connection aborted: more than {limit} bytes were waiting to be sent to a peer that was not reading them.") =>
        Limit = limit;

    /// <summary>The limit that was passed.</summary>
    public long Limit { get; }
}
