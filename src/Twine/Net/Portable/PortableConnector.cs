using System.Net;
using System.Net.Sockets;
using Twine.Defer;
using Twine.Logging;
using Twine.Net.Sockets;
using Twine.Net.Tcp;
using Twine.Net.Unix;
using Twine.Reactors.Io;
using Twine.Threading;

namespace Twine.Net.Portable;

/// <summary>
/// The portable layer's connector for TCP and Unix sockets: resolves a host name on the reactor's thread pool, then
/// connects with <see cref="Socket.ConnectAsync(SocketAsyncEventArgs)"/>, whose completion is posted to the loop. The
/// <see cref="Connector"/> state machine above it, and so every <see cref="ClientFactory"/> callback, is the native
/// layer's. Loop thread only, apart from the completion callback.
/// </summary>
internal sealed class PortableConnector : Connector
{
    private static readonly Action<Attempt> s_connectDone = static a => a.Connector.OnConnectDone(a);

    private readonly IIoLoop _loop;
    private readonly IReactorThreads _resolver;
    private readonly string? _host;
    private readonly int _port;
    private readonly IPEndPoint? _bindAddress;
    private readonly string? _unixPath;
    private readonly bool _checkPid;
    private Attempt? _attempt;
    private PortableConnection? _connection;
    private int _generation;

    private PortableConnector(IIoLoop loop, IReactorThreads resolver, ClientFactory factory, TimeSpan? timeout, EndPoint destination)
        : base(factory, timeout, loop)
    {
        _loop = loop;
        _resolver = resolver;
        Destination = destination;
    }

    /// <summary>A TCP connector (<see cref="IReactorTcp.ConnectTcp"/>).</summary>
    public PortableConnector(IIoLoop loop, IReactorThreads resolver, string host, int port, ClientFactory factory, TimeSpan? timeout, IPEndPoint? bindAddress)
        : this(loop, resolver, factory, timeout, IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port))
    {
        _host = host;
        _port = port;
        _bindAddress = bindAddress;
    }

    /// <summary>A Unix-socket connector (<see cref="IReactorUnix.ConnectUnix"/>).</summary>
    public PortableConnector(IIoLoop loop, IReactorThreads resolver, string path, ClientFactory factory, TimeSpan? timeout, bool checkPid)
        : this(loop, resolver, factory, timeout, new UnixDomainSocketEndPoint(path))
    {
        _unixPath = path;
        _checkPid = checkPid;
    }

    /// <inheritdoc />
    public override EndPoint Destination { get; }

    /// <summary>The established connection's transport, while connected.</summary>
    internal PortableConnection? Connection => _connection;

    protected override void BeginAttempt()
    {
        int generation = ++_generation;
        if (_unixPath is not null)
        {
            if (_checkPid && !UnixLockFile.IsLocked(_unixPath + ".lock"))
            {
                // Reported from a later turn, after StartedConnecting, as every connect outcome is.
                _loop.CallLater(TimeSpan.Zero, () => ReportFailure(generation, new BadFileException(_unixPath)));
                return;
            }
            ConnectTo(generation, Destination);
            return;
        }
        if (Destination is IPEndPoint literal)
        {
            ConnectTo(generation, literal);
            return;
        }
        // Name resolution blocks (and can take seconds): never on the reactor thread.
        _resolver.DeferToThread(() => Dns.GetHostAddresses(_host!)).AddBoth(outcome =>
        {
            if (outcome.Failure is { } failure)
            {
                ReportFailure(generation, new DnsLookupException(_host!, failure.Value));
                return;
            }
            var chosen = TcpConnector.Choose(outcome.Value, _bindAddress);
            if (chosen is null) ReportFailure(generation, new DnsLookupException(_host!));
            else ConnectTo(generation, new IPEndPoint(chosen, _port));
        });
    }

    private void ConnectTo(int generation, EndPoint target)
    {
        if (generation != _generation || State != ConnectorState.Connecting) return;
        var protocol = target is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp;
        Socket socket;
        try
        {
            socket = new Socket(target.AddressFamily, SocketType.Stream, protocol);
        }
        catch (SocketException ex)
        {
            ReportLater(generation, PortableErrors.ConnectError(ex.SocketErrorCode));
            return;
        }
        if (_bindAddress is not null)
        {
            try
            {
                socket.Bind(_bindAddress);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                ReportLater(generation, new ConnectException($"Couldn't bind to {_bindAddress}: {ex.Message}.", ex));
                return;
            }
        }
        var attempt = new Attempt(this, socket, target, generation);
        _attempt = attempt;
        attempt.Tracking = _loop.Track(attempt);
        bool pending;
        try
        {
            pending = socket.ConnectAsync(attempt.Args);
        }
        catch (SocketException ex)
        {
            _attempt = null;
            attempt.Release();
            ReportLater(generation, PortableErrors.ConnectError(ex.SocketErrorCode));
            return;
        }
        // Connected (or failed) at once: still reported on a later turn, after StartedConnecting.
        if (!pending) _loop.Post(s_connectDone, attempt);
    }

    private void ReportLater(int generation, Exception reason) =>
        _loop.CallLater(TimeSpan.Zero, () => ReportFailure(generation, reason));

    private void ReportFailure(int generation, Exception reason)
    {
        if (generation != _generation || State != ConnectorState.Connecting) return;
        ConnectionFailed(new Failure(reason));
    }

    private void OnConnectDone(Attempt attempt)
    {
        if (attempt != _attempt || attempt.Generation != _generation || State != ConnectorState.Connecting)
        {
            // Cancelled (or timed out) meanwhile: CancelAttempt closed the socket; nothing is reported.
            attempt.Release();
            return;
        }
        _attempt = null;
        attempt.Tracking?.Dispose();
        if (attempt.Args.SocketError != SocketError.Success)
        {
            attempt.Release();
            ConnectionFailed(new Failure(PortableErrors.ConnectError(attempt.Args.SocketError)));
            return;
        }
        var socket = attempt.Socket;
        var host = PortablePort.LocalOf(socket) ?? (EndPoint?)_bindAddress ?? attempt.Target;
        var peer = PortablePort.RemoteOf(socket) ?? attempt.Target;
        PortableConnection connection = socket.AddressFamily == AddressFamily.Unix
            ? new PortableUnixConnection(_loop, socket, host, peer)
            : new PortableTcpConnection(_loop, socket, host, peer);
        IProtocol? protocol;
        try
        {
            protocol = BuildProtocol(peer);
        }
        catch (Exception ex)
        {
            var failure = new Failure(ex);
            Log.Error($"Unhandled error in {Factory}.BuildProtocol for {this}; closing the connection", failure);
            socket.Dispose();
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

    protected override void CancelAttempt()
    {
        _generation++;
        _attempt?.Release();
        _attempt = null;
    }

    /// <summary>The reactor shut down with <paramref name="attempt"/> in flight: it fails, as on the native layer.</summary>
    private void ShutDownDuring(Attempt attempt)
    {
        attempt.Release();
        if (attempt != _attempt) return;
        _attempt = null;
        ConnectionFailed(new Failure(new ConnectException("The reactor shut down before the connection was made.")));
    }

    protected override void DropConnection() => _connection?.LoseConnection();

    /// <summary>One connect in flight: its socket, its completion arguments, and the attempt it belongs to.</summary>
    private sealed class Attempt : IIoHandler
    {
        public Attempt(PortableConnector connector, Socket socket, EndPoint target, int generation)
        {
            Connector = connector;
            Socket = socket;
            Target = target;
            Generation = generation;
            Args = new SocketAsyncEventArgs { RemoteEndPoint = target };
            Args.Completed += (_, _) => connector._loop.Post(s_connectDone, this);
        }

        public PortableConnector Connector { get; }
        public Socket Socket { get; }
        public EndPoint Target { get; }
        public int Generation { get; }
        public SocketAsyncEventArgs Args { get; }
        public IDisposable? Tracking { get; set; }

        /// <summary>Closes the socket (a pending connect completes as aborted and is ignored) and stops tracking.</summary>
        public void Release()
        {
            Tracking?.Dispose();
            Tracking = null;
            Socket.Dispose();
        }

        public void OnIoReady(IoEvents events)
        {
            // Completions arrive through Post, never as readiness.
        }

        public void OnReactorShutdown() => Connector.ShutDownDuring(this);
    }
}
