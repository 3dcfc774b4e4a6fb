namespace Twine.Net;

/// <summary>
/// A protocol that wants to hear about each direction of a TCP connection closing separately, after Twisted's
/// <c>IHalfCloseableProtocol</c>. Without it, the peer finishing its writes closes the whole connection.
/// </summary>
/// <example>
/// <code>
/// sealed class Upload : Protocol, IHalfCloseableProtocol
/// {
///     private readonly List&lt;byte&gt; _received = new();
///     public override void DataReceived(ReadOnlySpan&lt;byte&gt; data) => _received.AddRange(data);
///     public void ReadConnectionLost()                  // the client sent everything: answer, then close
///     {
///         Transport.Write(Encoding.ASCII.GetBytes($"{_received.Count} bytes\r\n"));
///         Transport.LoseConnection();
///     }
///     public void WriteConnectionLost() { }
/// }
/// </code>
/// </example>
public interface IHalfCloseableProtocol : IProtocol
{
    /// <summary>The peer has finished writing (end-of-stream); this side may still write.</summary>
    void ReadConnectionLost();

    /// <summary>This side's writing direction has been shut down after <see cref="ITransport.LoseWriteConnection"/>.</summary>
    void WriteConnectionLost();
}
