using System.Net;
using System.Net.Sockets;

// The socket transports' errors live in Twine.Net, beside ConnectException and the other connection errors they extend,
// so one using directive covers every error a protocol or client factory can be handed.
namespace Twine.Net;

/// <summary>The peer refused the connection: nothing listens there (Twisted's <c>ConnectionRefusedError</c>).</summary>
/// <example>
/// <code>
/// public override void ClientConnectionFailed(IConnector connector, Failure reason)
/// {
///     if (reason.Check&lt;ConnectionRefusedException&gt;() is not null) Console.WriteLine("server is down");
/// }
/// </code>
/// </example>
public sealed class ConnectionRefusedException : ConnectException
{
    /// <summary>Creates the exception with the system error behind it.</summary>
    public ConnectionRefusedException(Exception? inner = null) : base("Connection was refused by other side.", inner) { }
}

/// <summary>No route to the host or network (Twisted's <c>NoRouteError</c>).</summary>
/// <example><code>if (reason.Check&lt;NoRouteException&gt;() is not null) Console.WriteLine("network unreachable");</code></example>
public sealed class NoRouteException : ConnectException
{
    /// <summary>Creates the exception with the system error behind it.</summary>
    public NoRouteException(Exception? inner = null) : base("No route to host.", inner) { }
}

/// <summary>The operating system gave up on the TCP handshake (Twisted's <c>TCPTimedOutError</c>), as opposed to Twine's own <see cref="ConnectTimeoutException"/>.</summary>
/// <example><code>if (reason.Check&lt;TcpTimedOutException&gt;() is not null) Console.WriteLine("the kernel timed out");</code></example>
public sealed class TcpTimedOutException : ConnectException
{
    /// <summary>Creates the exception with the system error behind it.</summary>
    public TcpTimedOutException(Exception? inner = null) : base("TCP connection timed out.", inner) { }
}

/// <summary>A host name could not be resolved to an address (Twisted's <c>DNSLookupError</c>).</summary>
/// <example><code>reactor.ConnectTcp("no-such-host.invalid", 80, factory);   // ClientConnectionFailed gets this</code></example>
public sealed class DnsLookupException : ConnectException
{
    /// <summary>Creates the exception for <paramref name="host"/>.</summary>
    public DnsLookupException(string host, Exception? inner = null)
        : base($"DNS lookup failed: address '{host}' not found{(inner is null ? "" : ": " + inner.Message)}.", inner) => Host = host;

    /// <summary>The name that did not resolve.</summary>
    public string Host { get; }
}

/// <summary>The factory built no protocol for an outgoing connection, which is closed (Twisted's <c>NoProtocol</c>).</summary>
/// <example><code>// an endpoint's Connect fails with this when BuildProtocol returns null</code></example>
public sealed class NoProtocolException : ConnectException
{
    /// <summary>Creates the exception.</summary>
    public NoProtocolException() : base("Factory produced no protocol.") { }
}

/// <summary>A Unix socket's lock file says no server owns it (Twisted's <c>BadFileError</c>, from <c>checkPid</c>).</summary>
/// <example><code>reactor.ConnectUnix("/run/app.sock", factory, checkPid: true);   // fails fast with this if the server died</code></example>
public sealed class BadFileException : ConnectException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public BadFileException(string path) : base($"File used for UNIX socket is no good: {path} (no live server holds its lock).") => Path = path;

    /// <summary>The socket path.</summary>
    public string Path { get; }
}

/// <summary>
/// An endpoint's connection attempt was cancelled through its Deferred (Twisted's <c>ConnectingCancelledError</c>).
/// </summary>
/// <example>
/// <code>
/// var d = endpoint.Connect(factory);
/// d.Cancel();     // d fails with ConnectingCancelledException
/// </code>
/// </example>
public sealed class ConnectingCancelledException : OperationCanceledException
{
    /// <summary>Creates the exception for an attempt to <paramref name="address"/>.</summary>
    public ConnectingCancelledException(EndPoint address) : base($"Connecting to {address} was cancelled.") => Address = address;

    /// <summary>Where the cancelled attempt was connecting to.</summary>
    public EndPoint Address { get; }
}

/// <summary>A port could not be opened: the address is in use, not local, or not allowed (Twisted's <c>CannotListenError</c>).</summary>
/// <example>
/// <code>
/// try { reactor.ListenTcp(80, factory); }
/// catch (CannotListenException e) { Console.WriteLine(e.Message); }   // e.g. permission denied
/// </code>
/// </example>
public sealed class CannotListenException : IOException
{
    /// <summary>Creates the exception for <paramref name="address"/>.</summary>
    public CannotListenException(string address, Exception inner)
        : base($"Couldn't listen on {address}: {inner.Message}", inner) => Address = address;

    /// <summary>The address (interface and port, or socket path) that could not be used.</summary>
    public string Address { get; }

    /// <summary>The socket error, when the system refused.</summary>
    public SocketError? SocketErrorCode => (InnerException as SocketException)?.SocketErrorCode;
}

/// <summary>A datagram was larger than the socket can send (Twisted's <c>MessageLengthError</c>).</summary>
/// <example><code>transport.Write(new byte[70_000], peer);   // throws MessageLengthException</code></example>
public sealed class MessageLengthException : IOException
{
    /// <summary>Creates the exception.</summary>
    public MessageLengthException(Exception? inner = null) : base("Message too long.", inner) { }
}
