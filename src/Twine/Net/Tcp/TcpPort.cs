using Twine.Reactors.Io;
using Twine.Native;
using Twine.Net.Sockets;
using System.Net;
using Twine.Net.Native;

namespace Twine.Net.Tcp;

/// <summary>A listening TCP socket (IPv4 or IPv6, chosen by the interface address): <see cref="IReactorTcp.ListenTcp(int, IProtocolFactory, int, string)"/>.</summary>
internal sealed class TcpPort : StreamPort
{
    private TcpPort(IIoLoop loop, IProtocolFactory factory) : base(loop, factory) { }

    /// <summary>Binds and listens; throws <see cref="CannotListenException"/> if the address cannot be used.</summary>
    public static TcpPort Listen(IIoLoop loop, int port, IProtocolFactory factory, int backlog, string interfaceAddress, bool reusePort = false)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var (local, description) = LocalAddress(port, interfaceAddress);
        int fd = BoundSocket.Create(local, SocketNative.SOCK_STREAM, reuseAddress: true, backlog, description, reusePort);
        var listening = new TcpPort(loop, factory);
        listening.StartListening(fd);   // closes the socket if the factory cannot start
        return listening;
    }

    /// <summary>
    /// Checks a port number and interface (of <c>ListenTcp</c> or <c>ListenUdp</c>, on either socket layer); returns
    /// the address to bind and how errors name it.
    /// </summary>
    internal static (IPEndPoint Local, string Description) LocalAddress(int port, string interfaceAddress)
    {
        ArgumentNullException.ThrowIfNull(interfaceAddress);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        var local = new IPEndPoint(ParseInterface(interfaceAddress), port);
        return (local, $"{(interfaceAddress.Length == 0 ? "any" : interfaceAddress)}:{port}");
    }

    /// <summary>"" is every IPv4 interface; otherwise an IPv4 or IPv6 literal ("::" for every IPv6 one).</summary>
    internal static IPAddress ParseInterface(string interfaceAddress)
    {
        if (interfaceAddress.Length == 0) return IPAddress.Any;
        if (IPAddress.TryParse(interfaceAddress, out var address)) return address;
        throw new ArgumentException($"The interface must be an IPv4 or IPv6 address literal, not '{interfaceAddress}'.", nameof(interfaceAddress));
    }

    protected override StreamConnection CreateConnection(int fd, EndPoint host, EndPoint peer) =>
        new TcpConnection(Loop, fd, host, peer);
}
