using System.Net;
using Twine.Reactors.Io;
using Twine.Time;

namespace Twine.Net.Sockets;

/// <summary>
/// One outgoing connect in flight, as a <see cref="SocketDialer"/> started it: the reporting rules both socket layers
/// share. The outcome is reported exactly once and never from inside <c>Dial</c> (a failure found at once waits for a
/// later turn, so <see cref="ClientFactory.StartedConnecting"/> comes first); a cancelled attempt reports nothing; a
/// reactor shutdown fails it. The layer supplies the socket work. Loop thread only.
/// </summary>
internal abstract class PendingConnect : IIoHandler
{
    /// <summary>How long to wait before retrying a Unix connect refused with EAGAIN (the server's backlog is full, UX2).</summary>
    internal static readonly TimeSpan UnixBacklogRetry = TimeSpan.FromMilliseconds(10);

    private readonly Action<Exception> _failed;
    private IDelayedCall? _pending;

    private protected PendingConnect(IIoLoop loop, EndPoint target, EndPoint? bindAddress, Action<Exception> failed)
    {
        Loop = loop;
        Target = target;
        BindAddress = bindAddress;
        _failed = failed;
    }

    private protected IIoLoop Loop { get; }

    /// <summary>Where to connect.</summary>
    private protected EndPoint Target { get; }

    /// <summary>A local address to bind first, or null.</summary>
    private protected EndPoint? BindAddress { get; }

    /// <summary>True once the outcome is reported or the attempt cancelled: nothing more may happen.</summary>
    private protected bool Done { get; private set; }

    private protected bool IsUnix => Target is System.Net.Sockets.UnixDomainSocketEndPoint;

    /// <summary>Abandons the attempt: the socket is closed and nothing is reported.</summary>
    public void Cancel()
    {
        if (Done) return;
        Done = true;
        Release(closeSocket: true);
    }

    /// <inheritdoc />
    public abstract void OnIoReady(IoEvents events);

    /// <inheritdoc />
    public void OnReactorShutdown()
    {
        if (!Done) Fail(new ConnectException("The reactor shut down before the connection was made."));
    }

    /// <summary>The layer leaves the loop (registration or tracking) and, with <paramref name="closeSocket"/>, closes its socket.</summary>
    private protected abstract void ReleaseIo(bool closeSocket);

    /// <summary>Runs <paramref name="retry"/> after <paramref name="delay"/>, unless the attempt ends first.</summary>
    private protected void Schedule<TSelf>(TimeSpan delay, Action<TSelf> retry, TSelf self) where TSelf : PendingConnect =>
        _pending = Loop.CallLater(delay, retry, self);

    /// <summary>The attempt connected: it ends, keeping its socket for the transport.</summary>
    private protected void Succeeded()
    {
        Done = true;
        Release(closeSocket: false);
    }

    /// <summary>The attempt failed now (already on a later turn than <c>Dial</c>): it ends and reports.</summary>
    private protected void Fail(Exception reason)
    {
        Done = true;
        Release(closeSocket: true);
        _failed(reason);
    }

    /// <summary>The attempt failed before it could wait for anything: reports on a later turn.</summary>
    private protected void FailLater(Exception reason)
    {
        Release(closeSocket: true);
        _pending = Loop.CallLater(TimeSpan.Zero, static s =>
        {
            s.attempt._pending = null;
            if (s.attempt.Done) return;
            s.attempt.Done = true;
            s.attempt._failed(s.reason);
        }, (attempt: this, reason));
    }

    private void Release(bool closeSocket)
    {
        if (_pending is { IsActive: true } pending) pending.Cancel();
        _pending = null;
        ReleaseIo(closeSocket);
    }

    /// <summary>The attempt, for log messages.</summary>
    public override string ToString() => $"<{GetType().Name} to {Target}>";
}
