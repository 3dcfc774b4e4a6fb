using System.Net;
using System.Net.Sockets;
using Twine.Reactors.Io;

namespace Twine.Net.Portable;

/// <summary>A Unix-domain stream connection on the portable layer: no TCP options to set.</summary>
internal sealed class PortableUnixConnection(IIoLoop loop, Socket socket, EndPoint host, EndPoint peer)
    : PortableConnection(loop, socket, host, peer);
