using System.Net;
using System.Net.Sockets;
using Twine.Net;
using Twine.Reactors;
using Twine.Threading;

namespace Twine.Testing;

/// <summary>
/// A fake reactor that records listen and connect calls instead of making sockets (MR1), after Twisted's
/// <c>MemoryReactor</c>: test that code listens and connects with the right arguments, then drive the recorded
/// factories by hand.
/// </summary>
/// <remarks>
/// Listen calls return a <see cref="MemoryListeningPort"/> whose address is 0.0.0.0:port (or [::]:port for an IPv6
/// interface, or the socket path). Connect calls return a <see cref="MemoryConnector"/> whose destination reflects the
/// arguments, after calling the factory's <see cref="ClientFactory.StartedConnecting"/>; they are also appended to
/// <see cref="Connectors"/>. As an <see cref="IReactorCore"/> it records its lifecycle (MemoryReactor.Core.cs) and as
/// an <see cref="IReactorThreads"/> it runs thread calls at once (MemoryReactor.Threads.cs).
/// </remarks>
/// <example>
/// <code>
/// var reactor = new MemoryReactor();
/// StartServer(reactor);                       // code under test calls reactor.ListenTcp(8080, factory)
/// var (port, factory, backlog, iface) = reactor.TcpServers[0];
/// Assert.Equal(8080, port);
/// var protocol = factory.BuildProtocol(new IPEndPoint(IPAddress.Loopback, 50000))!;
/// protocol.MakeConnection(new MemoryTransport());
/// </code>
/// </example>
public partial class MemoryReactor : IReactorStreamSockets, IReactorUdp, IReactorSocket
{
    private static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Every <see cref="ListenTcp(int, IProtocolFactory, int, string)"/> call.</summary>
    public List<(int Port, IProtocolFactory Factory, int Backlog, string Interface)> TcpServers { get; } = new();

    /// <summary>Every <see cref="AdoptStreamPort"/> call (Twisted's <c>MemoryReactor.adoptedPorts</c>).</summary>
    public List<(int FileDescriptor, System.Net.Sockets.AddressFamily AddressFamily, IProtocolFactory Factory)> AdoptedPorts { get; } = new();

    /// <summary>The options of every <see cref="ListenTcp(int, IProtocolFactory, TcpListenOptions)"/> call, in order.</summary>
    public List<TcpListenOptions> TcpServerOptions { get; } = new();

    /// <summary>Every <see cref="ConnectTcp"/> call (a null timeout is recorded as the 30-second default).</summary>
    public List<(string Host, int Port, ClientFactory Factory, TimeSpan Timeout, EndPoint? BindAddress)> TcpClients { get; } = new();

    /// <summary>Every <see cref="ListenUnix"/> call.</summary>
    public List<(string Path, IProtocolFactory Factory, int Backlog, int Mode, bool WantPid)> UnixServers { get; } = new();

    /// <summary>Every <see cref="ConnectUnix"/> call.</summary>
    public List<(string Path, ClientFactory Factory, TimeSpan Timeout, bool CheckPid)> UnixClients { get; } = new();

    /// <summary>Every <see cref="ListenUdp"/> call.</summary>
    public List<(int Port, DatagramProtocol Protocol, string Interface, int MaxPacketSize)> UdpServers { get; } = new();

    /// <summary>The connectors returned by the <c>Connect*</c> methods, in order.</summary>
    public List<MemoryConnector> Connectors { get; } = new();

    /// <summary>What was registered for reading with <see cref="AddReader"/>.</summary>
    public HashSet<object> Readers { get; } = new();

    /// <summary>What was registered for writing with <see cref="AddWriter"/>.</summary>
    public HashSet<object> Writers { get; } = new();

    /// <summary>Records <paramref name="reader"/> in <see cref="Readers"/>.</summary>
    public void AddReader(object reader) => Readers.Add(reader);

    /// <summary>Records <paramref name="writer"/> in <see cref="Writers"/>.</summary>
    public void AddWriter(object writer) => Writers.Add(writer);

    /// <summary>Removes <paramref name="reader"/> from <see cref="Readers"/>.</summary>
    public void RemoveReader(object reader) => Readers.Remove(reader);

    /// <summary>Removes <paramref name="writer"/> from <see cref="Writers"/>.</summary>
    public void RemoveWriter(object writer) => Writers.Remove(writer);

    /// <summary>Removes and returns every reader and writer.</summary>
    public IReadOnlyList<object> RemoveAll()
    {
        var all = Readers.Union(Writers).ToList();
        Readers.Clear();
        Writers.Clear();
        return all;
    }

    /// <summary>Records the call and returns a port at 0.0.0.0:<paramref name="port"/> ([::] for an IPv6 interface).</summary>
    public virtual IListeningPort ListenTcp(int port, IProtocolFactory factory, int backlog = 50, string interfaceAddress = "")
    {
        ArgumentNullException.ThrowIfNull(factory);
        TcpServers.Add((port, factory, backlog, interfaceAddress));
        return new MemoryListeningPort(new IPEndPoint(AnyAddressFor(interfaceAddress), port));
    }

    /// <summary>
    /// Records the call in <see cref="TcpServers"/> (port, factory, backlog, interface) and its options in
    /// <see cref="TcpServerOptions"/>, and returns a port as the other overload does.
    /// </summary>
    public virtual IListeningPort ListenTcp(int port, IProtocolFactory factory, TcpListenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var listening = ListenTcp(port, factory, options.Backlog, options.Interface);
        TcpServerOptions.Add(options);
        return listening;
    }

    /// <summary>
    /// Records the call in <see cref="AdoptedPorts"/> and returns a port at the family's wildcard address (port 0, or
    /// an unnamed Unix address): nothing is checked or duplicated, so any number stands for a descriptor.
    /// </summary>
    public virtual IListeningPort AdoptStreamPort(int fileDescriptor, System.Net.Sockets.AddressFamily addressFamily, IProtocolFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        AdoptedPorts.Add((fileDescriptor, addressFamily, factory));
        EndPoint host = addressFamily switch
        {
            System.Net.Sockets.AddressFamily.InterNetworkV6 => new IPEndPoint(IPAddress.IPv6Any, 0),
            System.Net.Sockets.AddressFamily.Unix => new UnixDomainSocketEndPoint($"fd:{fileDescriptor}"),
            _ => new IPEndPoint(IPAddress.Any, 0),
        };
        return new MemoryListeningPort(host);
    }

    /// <summary>
    /// Records the call, tells the factory <see cref="ClientFactory.StartedConnecting"/> and returns a connector whose
    /// destination is <paramref name="host"/>:<paramref name="port"/> (MR1).
    /// </summary>
    public virtual IConnector ConnectTcp(string host, int port, ClientFactory factory, TimeSpan? timeout = null, EndPoint? bindAddress = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(factory);
        TcpClients.Add((host, port, factory, timeout ?? DefaultConnectTimeout, bindAddress));
        EndPoint destination = IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);
        return StartConnecting(new MemoryConnector(destination, factory));
    }

    /// <summary>Records the call and returns a port whose address is the socket path.</summary>
    public virtual IListeningPort ListenUnix(string path, IProtocolFactory factory, int backlog = 50, int mode = 0x1B6, bool wantPid = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(factory);
        UnixServers.Add((path, factory, backlog, mode, wantPid));
        return new MemoryListeningPort(new UnixDomainSocketEndPoint(path));
    }

    /// <summary>Records the call, tells the factory it started connecting, and returns a connector to the socket path.</summary>
    public virtual IConnector ConnectUnix(string path, ClientFactory factory, TimeSpan? timeout = null, bool checkPid = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(factory);
        UnixClients.Add((path, factory, timeout ?? DefaultConnectTimeout, checkPid));
        return StartConnecting(new MemoryConnector(new UnixDomainSocketEndPoint(path), factory));
    }

    /// <summary>Records the call and returns a port at 0.0.0.0:<paramref name="port"/>. The protocol is not started.</summary>
    public virtual IListeningPort ListenUdp(int port, DatagramProtocol protocol, string interfaceAddress = "", int maxPacketSize = 8192)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        UdpServers.Add((port, protocol, interfaceAddress, maxPacketSize));
        return new MemoryListeningPort(new IPEndPoint(AnyAddressFor(interfaceAddress), port));
    }

    private MemoryConnector StartConnecting(MemoryConnector connector)
    {
        connector.Factory.StartedConnecting(connector);
        Connectors.Add(connector);
        return connector;
    }

    private static IPAddress AnyAddressFor(string interfaceAddress) =>
        IPAddress.TryParse(interfaceAddress, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6
            ? IPAddress.IPv6Any
            : IPAddress.Any;
}
