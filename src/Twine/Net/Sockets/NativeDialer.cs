using System.Net;
using Twine.Reactors.Io;

namespace Twine.Net.Sockets;

/// <summary>The native layer's <see cref="SocketDialer"/>: a <see cref="ConnectAttempt"/>, whose descriptor becomes the transport <c>create</c> makes.</summary>
internal sealed class NativeDialer(Func<IIoLoop, int, EndPoint, EndPoint, StreamConnection> create) : SocketDialer
{
    /// <inheritdoc />
    public override PendingConnect Dial(IIoLoop loop, EndPoint target, EndPoint? bindAddress,
        Action<StreamTransport> connected, Action<Exception> failed)
    {
        var attempt = new ConnectAttempt(loop, target, bindAddress, (fd, host, peer) => connected(create(loop, fd, host, peer)), failed);
        attempt.Start();
        return attempt;
    }
}
