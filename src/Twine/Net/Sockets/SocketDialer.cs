using System.Net;
using Twine.Reactors.Io;

namespace Twine.Net.Sockets;

/// <summary>
/// How a socket layer makes one outgoing stream connection, for a <see cref="StreamConnector"/>: the native layer's
/// non-blocking <c>connect</c> on readiness, or the portable layer's <c>ConnectAsync</c> completion. The connector above
/// (resolution, generations, timeouts, factory callbacks) is the same for both.
/// </summary>
internal abstract class SocketDialer
{
    /// <summary>
    /// Starts connecting to <paramref name="target"/> (after binding <paramref name="bindAddress"/>, if given). Exactly
    /// one of <paramref name="connected"/> (with the new, unstarted transport) and <paramref name="failed"/> is called,
    /// always from a later reactor turn, unless the returned attempt is cancelled first.
    /// </summary>
    public abstract PendingConnect Dial(IIoLoop loop, EndPoint target, EndPoint? bindAddress,
        Action<StreamTransport> connected, Action<Exception> failed);
}

