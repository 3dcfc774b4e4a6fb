using Twine.Defer;

namespace Twine.Net;

/// <summary>
/// The base class for stream protocols, after Twisted's <c>Protocol</c>: override <see cref="ConnectionMade"/>,
/// <see cref="DataReceived"/> and <see cref="ConnectionLost"/>, and write with <see cref="Transport"/>.
/// </summary>
/// <remarks>
/// One instance serves one connection; a <see cref="Factory"/> builds one per connection and sets
/// <see cref="Factory"/> on it, which is where state shared between connections lives. The defaults do nothing (PF1).
/// </remarks>
/// <example>
/// <code>
/// sealed class Echo : Protocol
/// {
///     public override void ConnectionMade() => Transport.Write("welcome\r\n"u8);
///     public override void DataReceived(ReadOnlySpan&lt;byte&gt; data) => Transport.Write(data);
///     public override void ConnectionLost(Failure reason) => Console.WriteLine(reason.GetErrorMessage());
/// }
/// reactor.ListenTcp(8000, Factory.ForProtocol&lt;Echo&gt;());
/// </code>
/// </example>
public abstract class Protocol : IProtocol
{
    private ITransport? _transport;

    /// <summary>
    /// A new failure wrapping <see cref="ConnectionDoneException"/>: the reason given for a clean close, after Twisted's
    /// <c>connectionDone</c>.
    /// </summary>
    public static Failure ConnectionDone => new(new ConnectionDoneException());

    /// <summary>
    /// The transport this protocol is connected to. Only <see cref="MakeConnection"/> sets it (and STARTTLS, which swaps in
    /// the TLS layer on the same connection), so a protocol is never
    /// half-connected (a transport without <see cref="ConnectionMade"/>, or the reverse).
    /// </summary>
    /// <exception cref="InvalidOperationException">Read before the protocol was connected.</exception>
    public ITransport Transport =>
        _transport ?? throw new InvalidOperationException($"{GetType().Name} is not connected to a transport yet.");

    /// <summary>
    /// STARTTLS (<c>Tls.TlsTransportExtensions.StartTls</c>): the connection stays up and the protocol goes on, but from
    /// now on it writes through the TLS layer. The one other place that sets the transport.
    /// </summary>
    internal void SwitchTransport(ITransport transport) => _transport = transport;

    /// <summary>The transport, or null before <see cref="MakeConnection"/>; for code that must not throw.</summary>
    public ITransport? TransportOrNull => _transport;

    /// <summary>True once <see cref="MakeConnection"/> has been called (PF1). Like Twisted's, it stays true after the connection is lost.</summary>
    public bool Connected { get; protected set; }

    /// <summary>The factory that built this protocol, if any (set by <see cref="Net.Factory.BuildProtocol"/>, PF2).</summary>
    public IProtocolFactory? Factory { get; set; }

    /// <summary>The prefix for log messages about this protocol: its class name (PF1).</summary>
    public virtual string LogPrefix => GetType().Name;

    /// <summary>Sets <see cref="Connected"/> and <see cref="Transport"/>, then calls <see cref="ConnectionMade"/> (PF1).</summary>
    public virtual void MakeConnection(ITransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        Connected = true;
        _transport = transport;
        ConnectionMade();
    }

    /// <summary>Called once the connection is made and <see cref="Transport"/> is set. Does nothing by default.</summary>
    public virtual void ConnectionMade() { }

    /// <summary>
    /// Bytes arrived from the peer. <paramref name="data"/> is only valid during the call. Does nothing by default.
    /// </summary>
    public virtual void DataReceived(ReadOnlySpan<byte> data) { }

    /// <summary>
    /// The connection is closed; <paramref name="reason"/> wraps <see cref="ConnectionDoneException"/> for a clean close.
    /// Does nothing by default.
    /// </summary>
    public virtual void ConnectionLost(Failure reason) { }
}
