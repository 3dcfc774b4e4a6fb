using System.Net.Sockets;

namespace Twine.Net;

/// <summary>
/// A reactor that can take over sockets made elsewhere (Twisted's <c>IReactorSocket</c>): a listening socket passed in
/// by systemd's socket activation, by a supervisor, or by a parent process. Implemented by <c>Reactor</c> and
/// <c>Twine.Testing.MemoryReactor</c>.
/// </summary>
/// <example>
/// <code>
/// // fd 3, passed by systemd (see the systemd: endpoint type for the LISTEN_FDS protocol)
/// IListeningPort port = reactor.AdoptStreamPort(3, AddressFamily.InterNetwork, Factory.ForProtocol&lt;Echo&gt;());
/// </code>
/// </example>
public interface IReactorSocket
{
    /// <summary>
    /// Accepts connections on an already bound and listening stream socket, as <see cref="IReactorTcp.ListenTcp(int, IProtocolFactory, int, string)"/>
    /// does on a socket of its own. The reactor works on a duplicate of <paramref name="fileDescriptor"/> (made
    /// non-blocking and close-on-exec), so the caller still owns the original and may close it at once, or keep it to
    /// adopt again (every reactor of a group can adopt the same socket). Stopping the port closes only the duplicate.
    /// </summary>
    /// <param name="fileDescriptor">A listening <c>SOCK_STREAM</c> socket.</param>
    /// <param name="addressFamily">Its family: <see cref="AddressFamily.InterNetwork"/>, <see cref="AddressFamily.InterNetworkV6"/> or <see cref="AddressFamily.Unix"/>.</param>
    /// <param name="factory">Builds one protocol per accepted connection.</param>
    /// <exception cref="NotSupportedException">The family is none of those three.</exception>
    /// <exception cref="ArgumentException">The descriptor is not open, not a socket, not a stream socket, not listening, or of another family.</exception>
    IListeningPort AdoptStreamPort(int fileDescriptor, AddressFamily addressFamily, IProtocolFactory factory);
}
