using Twine.Reactors.Io;
using Twine.Net.Sockets;
using System.Net;
using System.Net.Sockets;
using Twine.Defer;
using Twine.Threading;

namespace Twine.Net.Tcp;

/// <summary>
/// <see cref="IReactorTcp.ConnectTcp"/>'s connector: resolves a host name on the reactor's thread pool (an address
/// literal needs no lookup), then connects with the socket layer's <see cref="SocketDialer"/>.
/// </summary>
internal sealed class TcpConnector : StreamConnector
{
    private readonly string _host;
    private readonly int _port;
    private readonly IPEndPoint? _bindAddress;
    private readonly IReactorThreads _resolver;

    /// <summary>The native layer's way to connect: the descriptor becomes a <see cref="TcpConnection"/>.</summary>
    internal static readonly SocketDialer NativeDialer = new NativeDialer(static (loop, fd, host, peer) => new TcpConnection(loop, fd, host, peer));

    public TcpConnector(IIoLoop loop, IReactorThreads resolver, string host, int port, ClientFactory factory, TimeSpan? timeout, IPEndPoint? bindAddress, SocketDialer dialer)
        : base(loop, dialer, factory, timeout)
    {
        _host = host;
        _port = port;
        _bindAddress = bindAddress;
        _resolver = resolver;
        Destination = IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);
    }

    /// <inheritdoc />
    public override EndPoint Destination { get; }

    protected override EndPoint? BindAddress => _bindAddress;

    protected override void Resolve(int generation)
    {
        if (Destination is IPEndPoint literal)
        {
            ConnectTo(generation, literal);
            return;
        }
        // getaddrinfo blocks (and can take seconds): never on the reactor thread.
        _resolver.DeferToThread(() => Dns.GetHostAddresses(_host)).AddBoth(outcome =>
        {
            if (outcome.Failure is { } failure)
            {
                ReportFailure(generation, new DnsLookupException(_host, failure.Value));
                return;
            }
            var chosen = Choose(outcome.Value, _bindAddress);
            if (chosen is null) ReportFailure(generation, new DnsLookupException(_host));
            else ConnectTo(generation, new IPEndPoint(chosen, _port));
        });
    }

    /// <summary>IPv4 first, as Twisted's <c>connectTCP</c> (which resolves with <c>gethostbyname</c>); else the first IPv6 address.</summary>
    internal static IPAddress? Choose(IPAddress[] addresses, IPEndPoint? bindAddress)
    {
        var family = bindAddress?.AddressFamily;
        if (family is not null) return addresses.FirstOrDefault(a => a.AddressFamily == family);
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetworkV6);
    }
}
