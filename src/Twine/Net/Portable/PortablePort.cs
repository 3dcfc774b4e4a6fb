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
/// <see cref="StreamPort"/>, with the rules of <see cref="StreamListener"/>. Accepts complete on runtime threads and are
/// posted to the loop; there each accepted socket gets a protocol from the factory. Loop thread only, apart from the
/// completion callback.
/// </summary>
/// <remarks>
/// After a completion the port accepts again at once, and goes on while accepts complete immediately, up to
/// <see cref="StreamListener.AcceptsPerReadiness"/> per turn (the native layer's fairness bound). An accepted socket
/// that lands in the descriptor reserve is closed and accepting backs off, as on the native layer.
/// </remarks>
internal sealed class PortablePort : StreamListener
{
    private static readonly Action<PortablePort> s_acceptDone = static p => p.OnAcceptDone();

    private readonly Socket _listener;
    private readonly Func<IIoLoop, Socket, EndPoint, EndPoint, PortableConnection> _connection;
    private readonly Action? _onClosed;
    private readonly SocketAsyncEventArgs _acceptArgs = new();
    private IDisposable? _tracking;
    private bool _acceptPending;

    private PortablePort(IIoLoop loop, Socket listener, IProtocolFactory factory,
        Func<IIoLoop, Socket, EndPoint, EndPoint, PortableConnection> connection, Action? onClosed)
        : base(loop, factory)
    {
        _listener = listener;
        _connection = connection;
        _onClosed = onClosed;
        _acceptArgs.Completed += (_, _) => Loop.Post(s_acceptDone, this);
    }

    /// <summary>
    /// Takes over a bound, listening socket: starts the factory and the first accept. If the factory cannot start,
    /// the socket is closed (and <paramref name="onClosed"/> runs) before the exception propagates.
    /// </summary>
    public static PortablePort Start(IIoLoop loop, Socket listener, IProtocolFactory factory,
        Func<IIoLoop, Socket, EndPoint, EndPoint, PortableConnection> connection, Action? onClosed = null)
    {
        var port = new PortablePort(loop, listener, factory, connection, onClosed);
        port._tracking = loop.Track(port);
        port.Start(listener.LocalEndPoint);
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

    private protected override void StartAccepting() => AcceptMore(AcceptsPerReadiness);

    private protected override void PauseAccepting()
    {
        // Nothing in flight to stop: AcceptMore does not start another accept while backing off.
    }

    private protected override void CloseListener()
    {
        _tracking?.Dispose();
        _tracking = null;
        _listener.Dispose();
    }

    private protected override void OnClosed() => _onClosed?.Invoke();

    /// <inheritdoc />
    public override void OnIoReady(IoEvents events)
    {
        // Completions arrive through Post, never as readiness.
    }

    /// <summary>Accepts while accepts complete at once, up to <paramref name="budget"/> this turn; then waits for a completion.</summary>
    private void AcceptMore(int budget)
    {
        for (int i = 0; i < budget && !_stopped && !_acceptPending && !BackingOff; i++)
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
        if (!_stopped && !_acceptPending && !BackingOff) Loop.Post(static p => p.AcceptMore(AcceptsPerReadiness), this);
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
        AcceptMore(AcceptsPerReadiness - 1);
    }

    /// <summary>Handles one finished accept: a new connection, or an error.</summary>
    private void Handle()
    {
        var error = _acceptArgs.SocketError;
        var socket = _acceptArgs.AcceptSocket;
        _acceptArgs.AcceptSocket = null;
        if (error == SocketError.Success && socket is not null && PortableDescriptors.InReserve(socket))
        {
            // The newcomer took a descriptor the runtime may need: turn it away now rather than let the process run
            // out (see DescriptorReserve). Accepting pauses, as for a real EMFILE.
            error = SocketError.TooManyOpenSockets;
        }
        if (error != SocketError.Success || socket is null)
        {
            socket?.Dispose();
            if (PortableErrors.IsResourceError(error)) SuspendAccepting(new SocketException((int)error).Message);
            else if (!PortableErrors.IsTransientAcceptError(error))
                Log.Error(LogEventId.AcceptFailed, typeof(StreamPort), $"Could not accept new connection on {Host}", new Failure(new SocketException((int)error)));
            return;
        }
        var peer = RemoteOf(socket) ?? Host;
        if (BuildProtocol(peer) is not { } protocol)
        {
            socket.Dispose();
            return;
        }
        var host = HostIsExact ? Host : LocalOf(socket) ?? Host;
        _connection(Loop, socket, host, peer).Start(protocol);
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
}
