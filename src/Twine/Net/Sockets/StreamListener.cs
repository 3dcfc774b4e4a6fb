using System.Net;
using Twine.Defer;
using Twine.Logging;
using Twine.Native;
using Twine.Reactors.Io;
using Twine.Time;

namespace Twine.Net.Sockets;

/// <summary>
/// What a listening stream socket (TCP or Unix) does whatever accepts for it, after Twisted's <c>tcp.Port</c>, written
/// once for both socket layers: starting and stopping the factory, building a protocol per connection (a factory that
/// throws or refuses closes only that connection), pausing with back-off when the process runs out of descriptors, and
/// closing. The native <see cref="StreamPort"/> (readiness and <c>accept4</c>) and the portable layer's port
/// (<c>AcceptAsync</c> completions) supply only the accepting. Loop thread only.
/// </summary>
/// <remarks>
/// When accepting fails for lack of resources (EMFILE, ENFILE, ENOBUFS, ENOMEM, or a descriptor landing in the
/// <see cref="DescriptorReserve"/>) the pending connection stays in the kernel's queue, so retrying at once would spin
/// the loop. Instead the port logs once, stops accepting, and retries after a back-off that doubles from 100 ms to 1 s;
/// the first successful accept resets it.
/// </remarks>
internal abstract class StreamListener : IListeningPort, IIoHandler
{
    /// <summary>Connections accepted per readiness (or per turn) at most, so a flood cannot starve open connections.</summary>
    internal const int AcceptsPerReadiness = 100;

    internal static readonly TimeSpan MinAcceptBackoff = TimeSpan.FromMilliseconds(100);
    internal static readonly TimeSpan MaxAcceptBackoff = TimeSpan.FromSeconds(1);

    private readonly IProtocolFactory _factory;
    private IDelayedCall? _retry;
    private TimeSpan _backoff = MinAcceptBackoff;
    private bool _resourceErrorLogged;
    private bool _hostIsExact;
    private protected bool _stopped;

    private protected StreamListener(IIoLoop loop, IProtocolFactory factory)
    {
        Loop = loop;
        _factory = factory;
    }

    protected IIoLoop Loop { get; }

    /// <inheritdoc />
    public EndPoint Host { get; private set; } = new IPEndPoint(IPAddress.Any, 0);

    /// <summary>True while accepting is suspended after a resource error.</summary>
    internal bool AcceptSuspended => _retry is { IsActive: true };

    /// <summary>
    /// Bound to one address (not a wildcard), every accepted socket's local address is the port's own: no need to ask
    /// the system per connection.
    /// </summary>
    private protected bool HostIsExact => _hostIsExact;

    /// <summary>
    /// Starts the factory and then accepting, on a socket bound to <paramref name="host"/>. If the factory's start
    /// throws, the socket is closed (and <see cref="OnClosed"/> runs) before the exception propagates.
    /// </summary>
    private protected void Start(EndPoint? host)
    {
        Host = host ?? Host;
        _hostIsExact = Host is not IPEndPoint ip || !(ip.Address.Equals(IPAddress.Any) || ip.Address.Equals(IPAddress.IPv6Any));
        try
        {
            _factory.DoStart();
        }
        catch
        {
            _stopped = true;
            CloseListener();
            OnClosed();
            throw;
        }
        Log.Info(LogEventId.PortListening, typeof(StreamPort), $"{FactoryName} starting on {Host}");
        StartAccepting();
    }

    /// <summary>The layer starts watching for connections.</summary>
    private protected abstract void StartAccepting();

    /// <summary>The layer stops watching for a while (<see cref="SuspendAccepting"/>); <see cref="StartAccepting"/> resumes.</summary>
    private protected abstract void PauseAccepting();

    /// <summary>The layer leaves the loop and closes the listening socket.</summary>
    private protected abstract void CloseListener();

    /// <summary>Called when the port closes, after its socket (a Unix port removes its file here).</summary>
    private protected virtual void OnClosed() { }

    /// <inheritdoc />
    public abstract void OnIoReady(IoEvents events);

    /// <summary>
    /// A connection from <paramref name="peer"/> was accepted: the protocol for it, or null when the factory refused it
    /// (PF2) or threw (logged); then the layer closes the socket.
    /// </summary>
    private protected IProtocol? BuildProtocol(EndPoint peer)
    {
        _backoff = MinAcceptBackoff;
        _resourceErrorLogged = false;
        try
        {
            return _factory.BuildProtocol(peer);
        }
        catch (Exception ex)
        {
            Log.Error(LogEventId.BuildProtocolFailed, typeof(StreamPort), $"Unhandled error in {FactoryName}.BuildProtocol for a connection from {peer}; closing it", ex);
            return null;
        }
    }

    /// <summary>
    /// Accepting failed for lack of resources (<paramref name="why"/> says which): logs once, pauses, and retries after
    /// the back-off.
    /// </summary>
    private protected void SuspendAccepting(string why)
    {
        if (!_resourceErrorLogged)
        {
            // No Failure and no exception here: building a stack trace loads an assembly, which needs a descriptor,
            // which is what just ran out. The flag is set only when the line was really written.
            DescriptorReserve.Refresh();
            _resourceErrorLogged = Log.Write(LogLevel.Error, LogEventId.AcceptOutOfResources, typeof(StreamPort),
                $"Could not accept new connection on {Host}: {why} (the process may open " +
                $"{DescriptorReserve.Limit} descriptors and keeps {DescriptorReserve.Size} of them for the runtime); " +
                $"pausing accepts and retrying with back-off (from {MinAcceptBackoff.TotalMilliseconds} ms up to " +
                $"{MaxAcceptBackoff.TotalSeconds} s)");
        }
        PauseAccepting();
        _retry = Loop.CallLater(_backoff, static port =>
        {
            port._retry = null;
            if (!port._stopped) port.StartAccepting();
        }, this);
        _backoff = _backoff * 2 > MaxAcceptBackoff ? MaxAcceptBackoff : _backoff * 2;
    }

    /// <summary>True while a back-off is waiting: the layer does not accept meanwhile.</summary>
    private protected bool BackingOff => _retry is not null;

    /// <inheritdoc />
    public Deferred StopListening()
    {
        Loop.Thread.Check(nameof(StopListening), "this listening port");
        if (_stopped) return Deferred.Succeed();
        _stopped = true;
        if (_retry is { IsActive: true } retry) retry.Cancel();
        _retry = null;
        CloseListener();
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
        return Deferred.Succeed();
    }

    /// <inheritdoc />
    public void OnReactorShutdown() => StopListening().AddErrback(f => Log.Error(LogEventId.StopListeningFailed, typeof(StreamPort), $"Unhandled error stopping {this}", f));

    private string FactoryName => _factory is Factory f ? f.LogPrefix : _factory.GetType().Name;

    /// <summary>The port, for log messages.</summary>
    public override string ToString() => $"<{GetType().Name} on {Host}>";
}
