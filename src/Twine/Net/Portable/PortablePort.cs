using System.Net;
using System.Net.Sockets;
using Twine.Defer;
using Twine.Logging;
using Twine.Net.Sockets;
using Twine.Reactors.Io;
using Twine.Time;

namespace Twine.Net.Portable;

/// <summary>
/// A listening stream socket (TCP or Unix) on <see cref="System.Net.Sockets.Socket"/>: the portable layer's
/// <see cref="StreamPort"/>. Accepts complete on runtime threads and are posted to the loop; there each accepted
/// socket gets a protocol from the factory. Loop thread only, apart from the completion callback.
/// </summary>
/// <remarks>
/// After a completion the port accepts again at once, and goes on while accepts complete immediately, up to
/// <see cref="StreamPort.AcceptsPerReadiness"/> per turn (the native layer's fairness bound). When accepting fails for
/// lack of resources it pauses with the native layer's back-off (100 ms doubling to 1 s).
/// </remarks>
internal sealed class PortablePort : IListeningPort, IIoHandler
{
    private static readonly Action<PortablePort> s_acceptDone = static p => p.OnAcceptDone();

    private readonly IIoLoop _loop;
    private readonly Socket _listener;
    private readonly IProtocolFactory _factory;
    private readonly Func<IIoLoop, Socket, EndPoint, EndPoint, PortableConnection> _connection;
    private readonly Action? _onClosed;
    private readonly SocketAsyncEventArgs _acceptArgs = new();
    private readonly bool _hostIsExact;
    private IDisposable? _tracking;
    private IDelayedCall? _retry;
    private TimeSpan _backoff = StreamPort.MinAcceptBackoff;
    private bool _acceptPending;
    private bool _resourceErrorLogged;
    private bool _stopped;

    private PortablePort(IIoLoop loop, Socket listener, IProtocolFactory factory,
        Func<IIoLoop, Socket, EndPoint, EndPoint, PortableConnection> connection, Action? onClosed)
    {
        _loop = loop;
        _listener = listener;
        _factory = factory;
        _connection = connection;
        _onClosed = onClosed;
        Host = listener.LocalEndPoint ?? new IPEndPoint(IPAddress.Any, 0);
        _hostIsExact = Host is not IPEndPoint ip || !(ip.Address.Equals(IPAddress.Any) || ip.Address.Equals(IPAddress.IPv6Any));
        _acceptArgs.Completed += (_, _) => _loop.Post(s_acceptDone, this);
    }

    /// <inheritdoc />
    public EndPoint Host { get; }

    /// <summary>True while accepting is suspended after a resource error (tests).</summary>
    internal bool AcceptSuspended => _retry is { IsActive: true };

    /// <summary>
    /// Takes over a bound, listening socket: starts the factory and the first accept. On failure the socket is closed
    /// and <see cref="CannotListenException"/> names <paramref name="description"/>.
    /// </summary>
    public static PortablePort Start(IIoLoop loop, Socket listener, IProtocolFactory factory, string description,
        Func<IIoLoop, Socket, EndPoint, EndPoint, PortableConnection> connection, Action? onClosed = null)
    {
        var port = new PortablePort(loop, listener, factory, connection, onClosed);
        port._tracking = loop.Track(port);
        try
        {
            factory.DoStart();
        }
        catch
        {
            port._tracking.Dispose();
            listener.Dispose();
            onClosed?.Invoke();
            throw;
        }
        Log.Info($"{port.FactoryName} starting on {port.Host}");
        port.AcceptMore();
        return port;
    }

    /// <summary>Creates a socket for <paramref name="local"/>, binds it and optionally listens; failures become <see cref="CannotListenException"/>.</summary>
    public static Socket Bind(EndPoint local, SocketType type, bool reuseAddress, int? backlog, string description, bool reusePort = false)
    {
        var protocol = local is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : type == SocketType.Stream ? ProtocolType.Tcp : ProtocolType.Udp;
        Socket socket;
        try
        {
            socket = new Socket(local.AddressFamily, type, protocol);
        }
        catch (SocketException ex)
        {
            throw new CannotListenException(description, ex);
        }
        try
        {
            // As the native layer: SO_REUSEADDR lets a restarted server bind while old connections sit in TIME_WAIT.
            // (On Windows the same option would let another process steal the port, so it is left off there.)
            if (reuseAddress) SetReuseAddress(socket);
            if (reusePort) SetReusePort(socket);
            socket.Bind(local);
            if (backlog is { } n) socket.Listen(n);
            socket.Blocking = false;
            return socket;
        }
        catch (Exception ex)
        {
            socket.Dispose();
            throw new CannotListenException(description, ex);
        }
    }

    /// <summary>
    /// Sets SO_REUSEADDR alone. .NET's <see cref="SocketOptionName.ReuseAddress"/> also sets SO_REUSEPORT on Unix,
    /// which would let a second server bind the same port instead of failing with "address in use"; on Windows the
    /// option would let another process steal the port, so it is left off there (Windows allows the rebind anyway).
    /// </summary>
    private static void SetReuseAddress(Socket socket)
    {
        if (OperatingSystem.IsLinux()) socket.SetRawSocketOption(1, 2, BitConverter.GetBytes(1));                  // SOL_SOCKET, SO_REUSEADDR
        else if (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()) socket.SetRawSocketOption(0xFFFF, 0x4, BitConverter.GetBytes(1));
    }

    /// <summary>Sets SO_REUSEPORT, so that several reactors can each listen on one port (a <c>ReactorGroup</c>).</summary>
    /// <exception cref="NotSupportedException">The OS has no SO_REUSEPORT (Windows).</exception>
    private static void SetReusePort(Socket socket)
    {
        if (OperatingSystem.IsLinux()) socket.SetRawSocketOption(1, 15, BitConverter.GetBytes(1));                 // SOL_SOCKET, SO_REUSEPORT
        else if (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()) socket.SetRawSocketOption(0xFFFF, 0x200, BitConverter.GetBytes(1));
        else throw new NotSupportedException("reusePort needs SO_REUSEPORT, which this operating system does not have.");
    }

    /// <summary>Accepts while accepts complete at once, up to the per-turn bound; then waits for a completion.</summary>
    private void AcceptMore() => AcceptMore(StreamPort.AcceptsPerReadiness);

    /// <summary>As <see cref="AcceptMore()"/>, with <paramref name="budget"/> accepts left for this turn.</summary>
    private void AcceptMore(int budget)
    {
        for (int i = 0; i < budget && !_stopped && !_acceptPending && _retry is null; i++)
        {
            _acceptArgs.AcceptSocket = null;
            _acceptPending = true;
            bool pending;
            try
            {
                pending = _listener.AcceptAsync(_acceptArgs);
            }
            catch (ObjectDisposedException)
            {
                _acceptPending = false;
                return;
            }
            if (pending) return;
            _acceptPending = false;
            Handle();
        }
        // The bound was reached with connections still arriving: the rest wait for the next turn.
        if (!_stopped && !_acceptPending && _retry is null) _loop.Post(static p => p.AcceptMore(StreamPort.AcceptsPerReadiness), this);
    }

    private void OnAcceptDone()
    {
        _acceptPending = false;
        if (_stopped)
        {
            _acceptArgs.AcceptSocket?.Dispose();
            return;
        }
        Handle();
        AcceptMore(StreamPort.AcceptsPerReadiness - 1);
    }

    /// <summary>Handles one finished accept: a new connection, or an error.</summary>
    private void Handle()
    {
        var error = _acceptArgs.SocketError;
        var socket = _acceptArgs.AcceptSocket;
        _acceptArgs.AcceptSocket = null;
        if (error != SocketError.Success || socket is null)
        {
            socket?.Dispose();
            if (PortableErrors.IsResourceError(error)) SuspendAccepting(error);
            else if (!PortableErrors.IsTransientAcceptError(error))
                Log.Error($"Could not accept new connection on {Host}", new Failure(new SocketException((int)error)));
            return;
        }
        _backoff = StreamPort.MinAcceptBackoff;
        _resourceErrorLogged = false;
        Accepted(socket);
    }

    private void SuspendAccepting(SocketError error)
    {
        if (!_resourceErrorLogged)
        {
            _resourceErrorLogged = Log.Write(LogLevel.Error,
                $"Could not accept new connection on {Host}: {new SocketException((int)error).Message}; pausing accepts and " +
                $"retrying with back-off (from {StreamPort.MinAcceptBackoff.TotalMilliseconds} ms up to {StreamPort.MaxAcceptBackoff.TotalSeconds} s)");
        }
        _retry = _loop.CallLater(_backoff, static port =>
        {
            port._retry = null;
            port.AcceptMore();
        }, this);
        _backoff = _backoff * 2 > StreamPort.MaxAcceptBackoff ? StreamPort.MaxAcceptBackoff : _backoff * 2;
    }

    private void Accepted(Socket socket)
    {
        var peer = RemoteOf(socket) ?? Host;
        IProtocol? protocol;
        try
        {
            protocol = _factory.BuildProtocol(peer);
        }
        catch (Exception ex)
        {
            Log.Error($"Unhandled error in {FactoryName}.BuildProtocol for a connection from {peer}; closing it", ex);
            socket.Dispose();
            return;
        }
        if (protocol is null)
        {
            // The factory refused this peer (PF2).
            socket.Dispose();
            return;
        }
        var host = _hostIsExact ? Host : LocalOf(socket) ?? Host;
        _connection(_loop, socket, host, peer).Start(protocol);
    }

    /// <summary>The socket's remote address, or null when the system has none to give (an unnamed Unix peer).</summary>
    internal static EndPoint? RemoteOf(Socket socket)
    {
        try
        {
            return socket.RemoteEndPoint;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>The socket's local address, or null.</summary>
    internal static EndPoint? LocalOf(Socket socket)
    {
        try
        {
            return socket.LocalEndPoint;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public Deferred StopListening()
    {
        _loop.Thread.Check(nameof(StopListening), "this listening port");
        if (_stopped) return Deferred.Succeed();
        _stopped = true;
        if (_retry is { IsActive: true } retry) retry.Cancel();
        _retry = null;
        _tracking?.Dispose();
        _listener.Dispose();
        _onClosed?.Invoke();
        Log.Info($"({GetType().Name} {Host} Closed)");
        try
        {
            _factory.DoStop();
        }
        catch (Exception ex)
        {
            // The port is closed either way; the caller hears about the factory's error (TCP2).
            return Deferred.Fail<Unit>(ex);
        }
        return Deferred.Succeed();
    }

    /// <inheritdoc />
    public void OnIoReady(IoEvents events)
    {
        // Completions arrive through Post, never as readiness.
    }

    /// <inheritdoc />
    public void OnReactorShutdown() => StopListening().AddErrback(f => Log.Error($"Unhandled error stopping {this}", f));

    private string FactoryName => _factory is Factory f ? f.LogPrefix : _factory.GetType().Name;

    /// <summary>The port, for log messages.</summary>
    public override string ToString() => $"<{GetType().Name} on {Host}>";
}
