using Twine.Net.Sockets;
using Twine.Reactors;
using System.Net;
using Twine.Net.Tcp;

namespace Twine.Net.Unix;

/// <summary>A Unix-domain stream connection: a <see cref="StreamConnection"/> with no TCP options to set.</summary>
internal sealed class UnixConnection : StreamConnection
{
    public UnixConnection(Reactor reactor, int fd, EndPoint host, EndPoint peer) : base(reactor, fd, host, peer) { }
}
