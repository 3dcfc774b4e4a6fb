using System.Net;
using Twine.Net;

namespace Twine.Testing;

/// <summary>
/// A reactor whose listen calls all throw one configured exception and whose connect calls all throw another (MR2),
/// after Twisted's <c>RaisingMemoryReactor</c>: for testing how code handles a port already in use or a failed connect.
/// </summary>
/// <example>
/// <code>
/// var reactor = new RaisingMemoryReactor(listenException: new SocketException((int)SocketError.AddressAlreadyInUse));
/// Assert.Throws&lt;SocketException&gt;(() => StartServer(reactor));
/// </code>
/// </example>
public sealed class RaisingMemoryReactor : IReactorTcp, IReactorUnix, IReactorUdp
{
    private readonly Exception? _listenException;
    private readonly Exception? _connectException;

    /// <summary>Creates the reactor.</summary>
    /// <param name="listenException">Thrown by every <c>Listen*</c> call; null makes them throw <see cref="InvalidOperationException"/>.</param>
    /// <param name="connectException">Thrown by every <c>Connect*</c> call; null makes them throw <see cref="InvalidOperationException"/>.</param>
    public RaisingMemoryReactor(Exception? listenException = null, Exception? connectException = null)
    {
        _listenException = listenException;
        _connectException = connectException;
    }

    /// <summary>Throws the listen exception.</summary>
    public IListeningPort ListenTcp(int port, IProtocolFactory factory, int backlog = 50, string interfaceAddress = "") => throw Listen();

    /// <summary>Throws the connect exception.</summary>
    public IConnector ConnectTcp(string host, int port, ClientFactory factory, TimeSpan? timeout = null, EndPoint? bindAddress = null) => throw Connect();

    /// <summary>Throws the listen exception.</summary>
    public IListeningPort ListenUnix(string path, IProtocolFactory factory, int backlog = 50, int mode = 0x1B6, bool wantPid = false) => throw Listen();

    /// <summary>Throws the connect exception.</summary>
    public IConnector ConnectUnix(string path, ClientFactory factory, TimeSpan? timeout = null, bool checkPid = false) => throw Connect();

    /// <summary>Throws the listen exception.</summary>
    public IListeningPort ListenUdp(int port, DatagramProtocol protocol, string interfaceAddress = "", int maxPacketSize = 8192) => throw Listen();

    private Exception Listen() => _listenException ?? new InvalidOperationException("RaisingMemoryReactor: listening is configured to fail.");

    private Exception Connect() => _connectException ?? new InvalidOperationException("RaisingMemoryReactor: connecting is configured to fail.");
}
