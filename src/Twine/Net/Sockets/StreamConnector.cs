using Twine.Reactors.Io;
using System.Net;
using Twine.Defer;
using Twine.Logging;

namespace Twine.Net.Sockets;

/// <summary>
/// An outgoing stream connector (TCP or Unix) on either socket layer: works out where to connect, has the layer's
/// <see cref="SocketDialer"/> connect, then builds the protocol for the new transport and reports to the
/// <see cref="Connector"/> state machine, which tells the <see cref="ClientFactory"/> (PF4).
/// </summary>
internal abstract class StreamConnector : Connector
{
    private readonly SocketDialer _dialer;
    private readonly Action<StreamTransport> _onConnected;
    private readonly Action<Exception> _onFailed;
    private PendingConnect? _attempt;
    private StreamTransport? _connection;
    private int _generation;

    protected StreamConnector(IIoLoop loop, SocketDialer dialer, ClientFactory factory, TimeSpan? timeout)
        : base(factory, timeout, loop)
    {
        Loop = loop;
        _dialer = dialer;
        _onConnected = OnConnected;
        _onFailed = OnFailed;
    }

    protected IIoLoop Loop { get; }

    /// <summary>The established connection's transport, while connected.</summary>
    internal StreamTransport? Connection => _connection;

    protected sealed override void BeginAttempt()
    {
        _generation++;
        Resolve(_generation);
    }

    /// <summary>
    /// Works out where to connect, now or later, then calls <see cref="ConnectTo"/> with the same
    /// <paramref name="generation"/> (or <see cref="ReportFailure"/>), never synchronously reporting an outcome.
    /// </summary>
    protected abstract void Resolve(int generation);

    /// <summary>A local address to bind before connecting, if any.</summary>
    protected virtual EndPoint? BindAddress => null;

    /// <summary>Starts the socket connect for attempt <paramref name="generation"/>, unless it was cancelled meanwhile.</summary>
    protected void ConnectTo(int generation, EndPoint target)
    {
        if (generation != _generation || State != ConnectorState.Connecting) return;
        _attempt = _dialer.Dial(Loop, target, BindAddress, _onConnected, _onFailed);
    }

    /// <summary>Reports that attempt <paramref name="generation"/> failed before a socket was made (from a later turn).</summary>
    protected void ReportFailure(int generation, Exception reason)
    {
        if (generation != _generation || State != ConnectorState.Connecting) return;
        ConnectionFailed(new Failure(reason));
    }

    protected sealed override void CancelAttempt()
    {
        _generation++;
        _attempt?.Cancel();
        _attempt = null;
    }

    protected sealed override void DropConnection() => _connection?.LoseConnection();

    private void OnFailed(Exception reason)
    {
        _attempt = null;
        ConnectionFailed(new Failure(reason));
    }

    private void OnConnected(StreamTransport connection)
    {
        _attempt = null;
        IProtocol? protocol;
        try
        {
            protocol = BuildProtocol(connection.Peer);
        }
        catch (Exception ex)
        {
            var failure = new Failure(ex);
            Log.Error(LogEventId.BuildProtocolFailed, typeof(StreamConnector), $"Unhandled error in {Factory}.BuildProtocol for {this}; closing the connection", failure);
            connection.CloseNow(failure, abortive: false);   // never started: only its socket closes
            ConnectionFailed(failure);
            return;
        }
        _connection = connection;
        connection.AfterConnectionLost = reason =>
        {
            _connection = null;
            ConnectionLost(reason);
        };
        if (protocol is null)
        {
            // Twisted: a factory may decline; the socket is closed again and the factory hears of a lost connection.
            connection.Start(NullProtocol.Instance);
            connection.LoseConnection();
            return;
        }
        connection.Start(protocol);
    }
}
