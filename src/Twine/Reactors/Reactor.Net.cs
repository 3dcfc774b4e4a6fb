using Twine.Reactors.Io;
using Twine.Net.Sockets;
using System.Net;
using Twine.Net;
using Twine.Net.Tcp;
using Twine.Net.Portable;
using Twine.Net.Udp;
using Twine.Net.Unix;

namespace Twine.Reactors;

// Networking: the reactor's TCP, Unix-socket and UDP roles, and the buffers its transports share.
public sealed partial class Reactor : IReactorTcp, IReactorUnix, IReactorUdp, IReactorSocket
{
    private static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(30);

    /// <summary>This reactor as the I/O-loop role its transports are written against.</summary>
    internal IIoLoop Io => this;

    /// <summary>
    /// Listens for TCP connections on <paramref name="port"/>, building a protocol with <paramref name="factory"/> for
    /// each. The interface decides the family: "" is every IPv4 interface, "::" every IPv6 one (and, by Linux's
    /// default, IPv4 too). The socket uses SO_REUSEADDR. Call on the reactor thread (or before <see cref="Run"/>).
    /// </summary>
    /// <exception cref="CannotListenException">The address is in use, not local, or not allowed.</exception>
    /// <example>
    /// <code>
    /// var port = reactor.ListenTcp(0, Factory.ForProtocol&lt;Echo&gt;(), interfaceAddress: "127.0.0.1");
    /// Console.WriteLine(port.Host);           // 127.0.0.1:&lt;the port the OS chose&gt;
    /// </code>
    /// </example>
    public IListeningPort ListenTcp(int port, IProtocolFactory factory, int backlog = ListenBacklog.Default, string interfaceAddress = "")
    {
        CheckNetworkCall();
        return SocketLayer == SocketLayer.Portable
            ? PortableListen.Tcp(this, port, factory, backlog, interfaceAddress)
            : TcpPort.Listen(this, port, factory, backlog, interfaceAddress);
    }

    /// <summary>
    /// Listens for TCP connections with <paramref name="options"/>; with <see cref="TcpListenOptions.ReusePort"/> the
    /// socket sets <c>SO_REUSEPORT</c>, so the reactors of a <see cref="ReactorGroup"/> can each listen on the same port.
    /// Call on the reactor thread (or before <see cref="Run"/>).
    /// </summary>
    /// <exception cref="CannotListenException">The address is in use (by a socket without SO_REUSEPORT), not local, or not allowed.</exception>
    /// <example>
    /// <code>
    /// reactor.ListenTcp(8080, Factory.ForProtocol&lt;Echo&gt;(), new TcpListenOptions { Interface = "127.0.0.1", ReusePort = true });
    /// </code>
    /// </example>
    public IListeningPort ListenTcp(int port, IProtocolFactory factory, TcpListenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        CheckNetworkCall();
        return SocketLayer == SocketLayer.Portable
            ? PortableListen.Tcp(this, port, factory, options.Backlog, options.Interface, options.ReusePort)
            : TcpPort.Listen(this, port, factory, options.Backlog, options.Interface, options.ReusePort);
    }

    /// <summary>
    /// Connects to <paramref name="host"/>:<paramref name="port"/> without blocking. A host name is resolved on the
    /// thread pool; the factory hears <see cref="ClientFactory.StartedConnecting"/> now and the outcome later. Call on
    /// the reactor thread (or before <see cref="Run"/>).
    /// </summary>
    /// <param name="host">A host name or an IPv4/IPv6 address literal.</param>
    /// <param name="port">The port.</param>
    /// <param name="factory">Builds the protocol once connected and hears about failure and loss.</param>
    /// <param name="timeout">How long the attempt may take; null means 30 seconds.</param>
    /// <param name="bindAddress">A local <see cref="IPEndPoint"/> to bind before connecting, if any.</param>
    /// <example>
    /// <code>
    /// reactor.ConnectTcp("127.0.0.1", 8000, ClientFactory.ForProtocol&lt;Greeter&gt;(), TimeSpan.FromSeconds(5));
    /// </code>
    /// </example>
    public IConnector ConnectTcp(string host, int port, ClientFactory factory, TimeSpan? timeout = null, EndPoint? bindAddress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        if (bindAddress is not (null or IPEndPoint))
            throw new ArgumentException($"The bind address must be an IPEndPoint, not {bindAddress}.", nameof(bindAddress));
        CheckNetworkCall();
        var dialer = SocketLayer == SocketLayer.Portable ? PortableDialer.Instance : TcpConnector.NativeDialer;
        var connector = new TcpConnector(this, this, host, port, factory, timeout ?? DefaultConnectTimeout, (IPEndPoint?)bindAddress, dialer);
        connector.Connect();
        return connector;
    }

    /// <summary>
    /// Listens on the Unix socket file <paramref name="path"/> (a name starting with '\0' is a Linux abstract socket).
    /// The file gets <paramref name="mode"/> and is removed when the port stops. Call on the reactor thread.
    /// </summary>
    /// <exception cref="CannotListenException">The path is in use, or its lock is held by a live process.</exception>
    /// <example>
    /// <code>
    /// reactor.ListenUnix("/run/app.sock", Factory.ForProtocol&lt;Echo&gt;(), mode: Convert.ToInt32("660", 8), wantPid: true);
    /// </code>
    /// </example>
    public IListeningPort ListenUnix(string path, IProtocolFactory factory, int backlog = ListenBacklog.Default, int mode = 0x1B6, bool wantPid = false)
    {
        CheckNetworkCall();
        return SocketLayer == SocketLayer.Portable
            ? PortableListen.Unix(this, path, factory, backlog, mode, wantPid)
            : UnixPort.Listen(this, path, factory, backlog, mode, wantPid);
    }

    /// <summary>Connects to the Unix socket file <paramref name="path"/>; see <see cref="IReactorUnix.ConnectUnix"/>. Call on the reactor thread.</summary>
    /// <example>
    /// <code>
    /// reactor.ConnectUnix("/run/app.sock", ClientFactory.ForProtocol&lt;Greeter&gt;(), checkPid: true);
    /// </code>
    /// </example>
    public IConnector ConnectUnix(string path, ClientFactory factory, TimeSpan? timeout = null, bool checkPid = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(factory);
        CheckNetworkCall();
        var dialer = SocketLayer == SocketLayer.Portable ? PortableDialer.Instance : UnixConnector.NativeDialer;
        var connector = new UnixConnector(this, path, factory, timeout ?? DefaultConnectTimeout, checkPid, dialer);
        connector.Connect();
        return connector;
    }

    /// <summary>
    /// Binds a UDP port and attaches <paramref name="protocol"/>: its <c>StartProtocol</c> runs now, and each datagram
    /// (read whole up to <paramref name="maxPacketSize"/> bytes) arrives with its sender. Call on the reactor thread.
    /// </summary>
    /// <exception cref="CannotListenException">The address is in use, not local, or not allowed.</exception>
    /// <example>
    /// <code>
    /// var port = reactor.ListenUdp(0, new Echo(), interfaceAddress: "127.0.0.1");
    /// </code>
    /// </example>
    public IListeningPort ListenUdp(int port, DatagramProtocol protocol, string interfaceAddress = "", int maxPacketSize = 8192)
    {
        CheckNetworkCall();
        return SocketLayer == SocketLayer.Portable
            ? PortableUdpPort.Listen(this, port, protocol, interfaceAddress, maxPacketSize)
            : UdpPort.Listen(this, port, protocol, interfaceAddress, maxPacketSize);
    }

    /// <summary>
    /// Accepts connections on a listening socket made elsewhere (systemd's socket activation, a parent process): see
    /// <see cref="IReactorSocket.AdoptStreamPort"/>. The reactor uses a duplicate; the caller keeps <paramref name="fileDescriptor"/>.
    /// Call on the reactor thread (or before <see cref="Run"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The descriptor is not a listening stream socket of <paramref name="addressFamily"/>.</exception>
    /// <exception cref="NotSupportedException">The family is not IPv4, IPv6 or Unix.</exception>
    /// <example>
    /// <code>
    /// var port = reactor.AdoptStreamPort(3, AddressFamily.InterNetwork, Factory.ForProtocol&lt;Echo&gt;());
    /// </code>
    /// </example>
    public IListeningPort AdoptStreamPort(int fileDescriptor, System.Net.Sockets.AddressFamily addressFamily, IProtocolFactory factory)
    {
        CheckNetworkCall();
        return AdoptedPort.Adopt(this, fileDescriptor, addressFamily, factory);
    }

    private void CheckNetworkCall([System.Runtime.CompilerServices.CallerMemberName] string member = "")
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _thread.Check(member, "this reactor");
    }
}
