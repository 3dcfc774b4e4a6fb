namespace Twine.Net;

/// <summary>
/// The connection was closed: the base of <see cref="ConnectionDoneException"/> (clean) and
/// <see cref="ConnectionLostException"/> (unclean). Trap this to handle either.
/// </summary>
/// <example>
/// <code>
/// public override void ConnectionLost(Failure reason)
/// {
///     if (reason.Check&lt;ConnectionDoneException&gt;()) Console.WriteLine("closed cleanly");
///     else Console.WriteLine($"lost: {reason.GetErrorMessage()}");
/// }
/// </code>
/// </example>
public class ConnectionClosedException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public ConnectionClosedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public ConnectionClosedException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>The connection was closed cleanly (Twisted's <c>ConnectionDone</c>).</summary>
/// <example><code>protocol.ConnectionLost(new Failure(new ConnectionDoneException()));</code></example>
public class ConnectionDoneException : ConnectionClosedException
{
    /// <summary>Creates the exception.</summary>
    public ConnectionDoneException() : base("Connection was closed cleanly.") { }

    /// <summary>Creates the exception with a message.</summary>
    public ConnectionDoneException(string message) : base(message) { }
}

/// <summary>The connection was closed in a non-clean fashion: reset, I/O error (Twisted's <c>ConnectionLost</c>).</summary>
/// <example><code>protocol.ConnectionLost(new Failure(new ConnectionLostException("reset by peer")));</code></example>
public class ConnectionLostException : ConnectionClosedException
{
    /// <summary>Creates the exception.</summary>
    public ConnectionLostException() : base("Connection to the other side was lost in a non-clean fashion.") { }

    /// <summary>Creates the exception with a message.</summary>
    public ConnectionLostException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public ConnectionLostException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>The connection was closed by <see cref="ITransport.AbortConnection"/> (Twisted's <c>ConnectionAborted</c>).</summary>
/// <example><code>transport.AbortConnection();   // ConnectionLost gets a ConnectionAbortedException</code></example>
public class ConnectionAbortedException : ConnectionLostException
{
    /// <summary>Creates the exception.</summary>
    public ConnectionAbortedException() : base("Connection was aborted locally using AbortConnection.") { }
}

/// <summary>
/// An outgoing connection attempt failed: the base of the connect errors (Twisted's <c>ConnectError</c>).
/// </summary>
/// <example>
/// <code>
/// public override void ClientConnectionFailed(IConnector connector, Failure reason)
/// {
///     if (reason.Check&lt;ConnectException&gt;()) Console.WriteLine($"could not connect: {reason.GetErrorMessage()}");
/// }
/// </code>
/// </example>
public class ConnectException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public ConnectException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public ConnectException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>The connection attempt was stopped by <see cref="IConnector.StopConnecting"/> (Twisted's <c>UserError</c>).</summary>
/// <example><code>connector.StopConnecting();   // ClientConnectionFailed gets a StoppedConnectingException</code></example>
public sealed class StoppedConnectingException : ConnectException
{
    /// <summary>Creates the exception.</summary>
    public StoppedConnectingException() : base("User aborted connection.") { }
}

/// <summary>The connection attempt did not complete within its timeout (Twisted's <c>TimeoutError</c> for connects).</summary>
/// <example><code>reactor.ConnectTcp("example.org", 80, factory, timeout: TimeSpan.FromSeconds(5));</code></example>
public sealed class ConnectTimeoutException : ConnectException
{
    /// <summary>Creates the exception.</summary>
    public ConnectTimeoutException() : base("User timeout caused connection failure.") { }
}

/// <summary>
/// <see cref="IConnector.StopConnecting"/> was called on a connector that is not connecting (Twisted's
/// <c>NotConnectingError</c>).
/// </summary>
/// <example>
/// <code>
/// try { connector.StopConnecting(); }
/// catch (NotConnectingException) { /* already connected or given up */ }
/// </code>
/// </example>
public sealed class NotConnectingException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public NotConnectingException() : base("The connector is not trying to connect.") { }
}
