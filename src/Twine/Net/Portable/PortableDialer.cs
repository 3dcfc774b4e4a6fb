using System.Net;
using Twine.Net.Sockets;
using Twine.Reactors.Io;

namespace Twine.Net.Portable;

/// <summary>The portable layer's <see cref="SocketDialer"/>: one <see cref="PortableConnectAttempt"/> per connect, for TCP and Unix alike.</summary>
internal sealed class PortableDialer : SocketDialer
{
    /// <summary>The one instance (the dialer holds no state).</summary>
    public static readonly PortableDialer Instance = new();

    private PortableDialer() { }

    /// <inheritdoc />
    public override PendingConnect Dial(IIoLoop loop, EndPoint target, EndPoint? bindAddress,
        Action<StreamTransport> connected, Action<Exception> failed)
    {
        var attempt = new PortableConnectAttempt(loop, target, bindAddress, connected, failed);
        attempt.Start();
        return attempt;
    }
}
