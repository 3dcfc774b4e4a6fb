using Twine.Reactors.Io;
using Twine.Net.Sockets;
using System.Net;
using Twine.Net.Tcp;

namespace Twine.Net.Unix;

/// <summary>A Unix-domain stream connection: a <see cref="StreamConnection"/> with no TCP options to set.</summary>
internal sealed class UnixConnection : StreamConnection
{
    public UnixConnection(IIoLoop loop, int fd, EndPoint host, EndPoint peer) : base(loop, fd, host, peer) { }
}
