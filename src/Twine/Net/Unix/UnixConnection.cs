using Twine.Reactors.Io;
using Twine.Net.Sockets;
using System.Net;
using Twine.Net.Tcp;

namespace Twine.Net.Unix;

/// <summary>A Unix-domain stream connection: a <see cref="StreamConnection"/> that also passes file descriptors.</summary>
internal sealed class UnixConnection : StreamConnection, IUnixTransport
{
    public UnixConnection(IIoLoop loop, int fd, EndPoint host, EndPoint peer) : base(loop, fd, host, peer)
    {
        ReceivesDescriptors = true;
    }

    /// <inheritdoc />
    public void SendFileDescriptor(int fd) => QueueDescriptor(fd);
}
