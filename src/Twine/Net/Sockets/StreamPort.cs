using Twine.Native;
using Twine.Reactors.Io;
using System.Net;
using Twine.Defer;
using Twine.Logging;
using Twine.Net.Native;
using Twine.Time;

namespace Twine.Net.Sockets;

/// <summary>
/// A listening stream socket (TCP or Unix), after Twisted's <c>tcp.Port</c>: accepts connections on readiness, builds
/// a protocol for each with the factory, and survives running out of descriptors without spinning. Loop thread only.
/// </summary>
/// <remarks>
/// <para>Each readiness accepts up to <see cref="AcceptsPerReadiness"/> connections, so a flood of connections cannot
/// starve the connections already open; the rest wait for the next iteration (readiness is level-triggered).</para>
/// <para>When <c>accept</c> fails for lack of resources (EMFILE, ENFILE, ENOBUFS, ENOMEM) the pending connection
/// stays in the kernel's queue and the socket stays readable, so retrying at once would spin the loop. Instead the port
/// logs once, drops its interest, and retries after a back-off that doubles from 100 ms to 1 s; the first successful
/// accept resets it.</para>
/// </remarks>
internal abstract unsafe class StreamPort : IListeningPort, IIoHandler
{
    /// <summary>Connections accepted per readiness at most.</summary>
    internal const int AcceptsPerReadiness = 100;

    internal static readonly TimeSpan MinAcceptBackoff = TimeSpan.FromMilliseconds(100);
    internal static readonly TimeSpan MaxAcceptBackoff = TimeSpan.FromSeconds(1);

    private readonly IProtocolFactory _factory;
    private int _fd = -1;
    private IoRegistration? _registration;
    private IDelayedCall? _retry;
    private TimeSpan _backoff = MinAcceptBackoff;
    private bool _resourceErrorLogged;
    private bool _stopped;
    private bool _hostIsExact;

    protected StreamPort(IIoLoop loop, IProtocolFactory factory)
    {
        Loop = loop;
        _factory = factory;
    }

    protected IIoLoop Loop { get; }

    /// <inheritdoc />
    public EndPoint Host { get; private set; } = new IPEndPoint(IPAddress.Any, 0);

    /// <summary>
    /// Test seam for the accept path: when set, it is called before each <c>accept4</c>, and a non-zero result is taken
    /// as the errno <c>accept4</c> failed with (the call is then not made). Lets a test exercise EMFILE handling
    /// without lowering the whole test process's descriptor limit.
    /// </summary>
    internal Func<int>? AcceptFault { get; set; }

    /// <summary>Accept attempts made, including injected failures (tests: proves there is no busy loop).</summary>
    internal long AcceptAttempts { get; private set; }

    /// <summary>True while accepting is suspended after a resource error.</summary>
    internal bool AcceptSuspended => _retry is { IsActive: true };

    /// <summary>Takes over a bound, listening, non-blocking socket: starts the factory and watches for connections.</summary>
    protected void StartListening(int fd)
    {
        _fd = fd;
        Host = SocketAddressCodec.LocalAddress(fd) ?? Host;
        // Bound to one address (not a wildcard), every accepted socket's local address is the port's own: no need to
        // ask the kernel per connection.
        _hostIsExact = Host is not IPEndPoint ip || !(ip.Address.Equals(IPAddress.Any) || ip.Address.Equals(IPAddress.IPv6Any));
        _registration = Loop.RegisterIo(fd, IoEvents.Readable, this);
        _factory.DoStart();
        Log.Info(LogEventId.PortListening, typeof(StreamPort), $"{FactoryName} starting on {Host}");
    }

    /// <summary>Wraps an accepted socket in the right kind of connection.</summary>
    protected abstract StreamConnection CreateConnection(int fd, EndPoint host, EndPoint peer);

    /// <summary>Called when the port closes, after its socket (a Unix port removes its file here).</summary>
    protected virtual void OnClosed() { }

    /// <inheritdoc />
    public void OnIoReady(IoEvents events)
    {
        byte* address = stackalloc byte[SocketAddressCodec.MaxSize];
        for (int i = 0; i < AcceptsPerReadiness && !_stopped; i++)
        {
            AcceptAttempts++;
            int length = SocketAddressCodec.MaxSize;
            int fd = -1;
            int errno = AcceptFault?.Invoke() ?? 0;
            if (errno == 0)
            {
                fd = SocketNative.Accept4(_fd, address, &length, SocketNative.SOCK_NONBLOCK | SocketNative.SOCK_CLOEXEC);
                if (fd < 0) errno = SocketNative.LastError;
                else if (DescriptorReserve.Holds(fd))
                {
                    // The newcomer took a descriptor the runtime may need: turn it away now rather than let the
                    // process run out (see DescriptorReserve). Accepting pauses below, as for a real EMFILE.
                    LibC.Close(fd);
                    fd = -1;
                    errno = Errno.EMFILE;
                }
            }
            if (fd < 0)
            {
                if (!ContinueAfterAcceptError(errno)) return;
                continue;
            }
            _backoff = MinAcceptBackoff;
            _resourceErrorLogged = false;
            var peer = SocketAddressCodec.Decode(new ReadOnlySpan<byte>(address, SocketAddressCodec.MaxSize), length) ?? Host;
            Accepted(fd, peer);
        }
    }

    /// <summary>Handles a failed accept; true to try the next one.</summary>
    private bool ContinueAfterAcceptError(int errno)
    {
        switch (errno)
        {
            case Errno.EAGAIN:
                return false;
            case Errno.EINTR:
            case Errno.ECONNABORTED:
            case Errno.EPROTO:
            case Errno.EPERM:
                // The connection died in the queue (or a firewall refused it): that one is gone, the next may be fine.
                return true;
            case Errno.EMFILE:
            case Errno.ENFILE:
            case Errno.ENOBUFS:
            case Errno.ENOMEM:
                SuspendAccepting(errno);
                return false;
            default:
                Log.Error(LogEventId.AcceptFailed, typeof(StreamPort), $"Could not accept new connection on {Host}", new Failure(SocketErrors.ToSocketException(errno)));
                return false;
        }
    }

    private void SuspendAccepting(int errno)
    {
        if (!_resourceErrorLogged)
        {
            // No Failure and no exception here: building a stack trace loads an assembly, which needs a descriptor,
            // which is what just ran out. The flag is set only when the line was really written.
            DescriptorReserve.Refresh();
            _resourceErrorLogged = Log.Write(LogLevel.Error, LogEventId.AcceptOutOfResources, typeof(StreamPort),
                $"Could not accept new connection on {Host}: {SocketNative.Describe(errno)} (the process may open " +
                $"{DescriptorReserve.Limit} descriptors and keeps {DescriptorReserve.Size} of them for the runtime); " +
                $"pausing accepts and retrying with back-off (from {MinAcceptBackoff.TotalMilliseconds} ms up to " +
                $"{MaxAcceptBackoff.TotalSeconds} s)");
        }
        if (_registration is { IsRegistered: true } registration) registration.Interest = IoEvents.None;
        _retry = Loop.CallLater(_backoff, static port => port.ResumeAccepting(), this);
        _backoff = _backoff * 2 > MaxAcceptBackoff ? MaxAcceptBackoff : _backoff * 2;
    }

    private void ResumeAccepting()
    {
        _retry = null;
        if (!_stopped && _registration is { IsRegistered: true } registration) registration.Interest = IoEvents.Readable;
    }

    private void Accepted(int fd, EndPoint peer)
    {
        IProtocol? protocol;
        try
        {
            protocol = _factory.BuildProtocol(peer);
        }
        catch (Exception ex)
        {
            Log.Error(LogEventId.BuildProtocolFailed, typeof(StreamPort), $"Unhandled error in {FactoryName}.BuildProtocol for a connection from {peer}; closing it", ex);
            LibC.Close(fd);
            return;
        }
        if (protocol is null)
        {
            // The factory refused this peer (PF2).
            LibC.Close(fd);
            return;
        }
        var host = _hostIsExact ? Host : SocketAddressCodec.LocalAddress(fd) ?? Host;
        CreateConnection(fd, host, peer).Start(protocol);
    }

    /// <inheritdoc />
    public Deferred StopListening()
    {
        Loop.Thread.Check(nameof(StopListening), "this listening port");
        if (!_stopped)
        {
            _stopped = true;
            if (_retry is { IsActive: true } retry) retry.Cancel();
            _retry = null;
            _registration?.Dispose();
            if (_fd >= 0) LibC.Close(_fd);
            OnClosed();
            Log.Info(LogEventId.PortClosed, typeof(StreamPort), $"({GetType().Name} {Host} Closed)");
            try
            {
                _factory.DoStop();
            }
            catch (Exception ex)
            {
                // The port is closed either way; the caller hears about the factory's error (TCP2).
                return Deferred.Fail<Unit>(ex);
            }
        }
        return Deferred.Succeed();
    }

    /// <inheritdoc />
    public void OnReactorShutdown() => StopListening().AddErrback(f => Log.Error(LogEventId.StopListeningFailed, typeof(StreamPort), $"Unhandled error stopping {this}", f));

    private string FactoryName => _factory is Factory f ? f.LogPrefix : _factory.GetType().Name;

    /// <summary>The port, for log messages.</summary>
    public override string ToString() => $"<{GetType().Name} on {Host}>";
}
