using Twine.Reactors.Io;
using Twine.Native;
using System.Net;
using Twine.Defer;
using Twine.Logging;
using Twine.Net.Native;

namespace Twine.Net.Sockets;

/// <summary>
/// The socket half of an outgoing stream connector (TCP or Unix): runs a <see cref="ConnectAttempt"/> per
/// <see cref="Connector.Connect"/>, then wraps the connected socket in a transport and reports to the
/// <see cref="Connector"/> state machine, which tells the <see cref="ClientFactory"/> (PF4).
/// </summary>
internal abstract class StreamConnector : Connector
{
    private ConnectAttempt? _attempt;
    private StreamConnection? _connection;
    private int _generation;

    protected StreamConnector(IIoLoop loop, ClientFactory factory, TimeSpan? timeout)
        : base(factory, timeout, loop) => Loop = loop;

    protected IIoLoop Loop { get; }

    /// <summary>The established connection's transport, while connected.</summary>
    internal StreamConnection? Connection => _connection;

    /// <summary>Counts attempts, so a late result (a host-name lookup finishing after a cancel) is recognised as stale.</summary>
    protected int Generation => _generation;

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

    /// <summary>Wraps the connected socket in the right kind of transport.</summary>
    protected abstract StreamConnection CreateConnection(int fd, EndPoint host, EndPoint peer);

    /// <summary>A local address to bind before connecting, if any.</summary>
    protected virtual EndPoint? BindAddress => null;

    /// <summary>Starts the socket connect for attempt <paramref name="generation"/>, unless it was cancelled meanwhile.</summary>
    protected void ConnectTo(int generation, EndPoint target)
    {
        if (generation != _generation || State != ConnectorState.Connecting) return;
        _attempt = new ConnectAttempt(Loop, target, BindAddress, OnConnected, OnFailed);
        _attempt.Start();
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

    private void OnConnected(int fd, EndPoint host, EndPoint peer)
    {
        _attempt = null;
        var connection = CreateConnection(fd, host, peer);
        IProtocol? protocol;
        try
        {
            protocol = BuildProtocol(peer);
        }
        catch (Exception ex)
        {
            var failure = new Failure(ex);
            Log.Error(LogEventId.BuildProtocolFailed, typeof(StreamConnector), $"Unhandled error in {Factory}.BuildProtocol for {this}; closing the connection", failure);
            LibC.Close(fd);
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
