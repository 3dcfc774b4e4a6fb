using System.Net;
using System.Net.Sockets;
using Twine.Defer;
using Twine.Threading;

namespace Twine.Net.Endpoints;

/// <summary>
/// A TCP client endpoint for a host name (Twisted's <c>HostnameEndpoint</c>): the name is resolved on the reactor's
/// thread pool (<c>getaddrinfo</c> blocks), then each address is tried in turn, in the resolver's order, until one
/// connects. An address literal (<c>127.0.0.1</c>, <c>::1</c>) skips the lookup. The HTTP client and the <c>tls:</c>
/// endpoint string both connect through it, so the each-address rule has one home.
/// </summary>
/// <remarks>
/// Twisted races the addresses (Happy Eyeballs); this endpoint tries them one after another, each with the full
/// <see cref="Timeout"/>, which is simpler and enough for the loopback and LAN cases it is used for.
/// </remarks>
/// <example>
/// <code>
/// var endpoint = new HostnameEndpoint(reactor, "localhost", 8080, TimeSpan.FromSeconds(5));
/// var protocol = await endpoint.Connect(Factory.ForProtocol&lt;Greeter&gt;());
/// </code>
/// </example>
public sealed class HostnameEndpoint : IStreamClientEndpoint
{
    private readonly IReactorTcp _reactor;
    private readonly IReactorThreads? _resolver;

    /// <summary>Creates the endpoint; nothing resolves or connects until <see cref="Connect"/>.</summary>
    /// <param name="reactor">The reactor to connect with; if it also provides <see cref="IReactorThreads"/> (a real
    /// reactor does) names are resolved on its pool, otherwise the name is handed to <c>ConnectTcp</c> as it is.</param>
    /// <param name="host">A host name or an address literal (IPv6 without brackets).</param>
    /// <param name="port">The port.</param>
    /// <param name="timeout">How long each attempt may take; null means 30 seconds.</param>
    /// <exception cref="ArgumentOutOfRangeException">The port is not 0 to 65535.</exception>
    public HostnameEndpoint(IReactorTcp reactor, string host, int port, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(host);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        _reactor = reactor;
        _resolver = reactor as IReactorThreads;
        Host = host;
        Port = port;
        Timeout = timeout ?? TimeSpan.FromSeconds(30);
    }

    /// <summary>The host to connect to.</summary>
    public string Host { get; }

    /// <summary>The port to connect to.</summary>
    public int Port { get; }

    /// <summary>How long each address's attempt may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The blocking lookup run on the pool (tests give a name several addresses without touching DNS).</summary>
    internal Func<string, IPAddress[]> Lookup { get; init; } = Dns.GetHostAddresses;

    /// <summary>
    /// Resolves and connects. The Deferred fires with <paramref name="factory"/>'s protocol once one address has
    /// connected, or fails with <see cref="DnsLookupException"/> or with the last address's connect error. Cancelling
    /// it stops whichever step is running (<see cref="ConnectingCancelledException"/>); a lookup still running on the
    /// pool is then ignored when it returns.
    /// </summary>
    public Deferred<IProtocol> Connect(IProtocolFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var attempt = new Attempt(this, factory);
        return attempt.Start();
    }

    /// <summary>The addresses to try, literal or resolved; null when the name should go to ConnectTcp unresolved.</summary>
    private Deferred<IPAddress[]>? Resolve()
    {
        if (IPAddress.TryParse(Host, out var literal)) return Deferred.Succeed(new[] { literal });
        if (_resolver is null) return null;
        var host = Host;
        var lookup = Lookup;
        return _resolver.DeferToThread(() => lookup(host));
    }

    /// <summary>One call of Connect: its result, the step in progress, and the addresses not tried yet.</summary>
    private sealed class Attempt(HostnameEndpoint endpoint, IProtocolFactory factory)
    {
        private Deferred<IProtocol>? _result;
        private Deferred<IProtocol>? _current;
        private bool _cancelled;

        public Deferred<IProtocol> Start()
        {
            _result = new Deferred<IProtocol>(_ => Cancel());
            var resolving = endpoint.Resolve();
            if (resolving is null) ConnectTo(0, [], endpoint.Host);
            else
            {
                resolving.AddBoth(outcome =>
                {
                    if (_cancelled) return;
                    if (outcome.Failure is { } failure)
                        _result.Errback(new DnsLookupException(endpoint.Host, failure.Value));
                    else if (Usable(outcome.Value) is { Length: > 0 } addresses)
                        ConnectTo(0, addresses, addresses[0].ToString());
                    else
                        _result.Errback(new DnsLookupException(endpoint.Host));
                });
            }
            return _result;
        }

        private static IPAddress[] Usable(IPAddress[] addresses) =>
            [.. addresses.Where(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)];

        private void ConnectTo(int index, IPAddress[] addresses, string host)
        {
            Deferred<IProtocol> connecting;
            try
            {
                var wrapper = new WrappingClientFactory(factory);
                endpoint._reactor.ConnectTcp(host, endpoint.Port, wrapper, endpoint.Timeout);
                connecting = wrapper.OnConnection;
            }
            catch (Exception ex)
            {
                connecting = Deferred.Fail<IProtocol>(ex);
            }
            _current = connecting;
            connecting.AddBoth(outcome =>
            {
                _current = null;
                if (_cancelled) return;
                if (outcome.Failure is null) _result!.Callback(outcome.Value);
                else if (index + 1 < addresses.Length) ConnectTo(index + 1, addresses, addresses[index + 1].ToString());
                else _result!.Errback(outcome.Failure);
            });
        }

        private void Cancel()
        {
            _cancelled = true;
            var current = _current;
            _current = null;
            // Fail first: the cancelled attempt's own errback then finds the result already fired.
            _result!.Errback(new ConnectingCancelledException(new DnsEndPoint(endpoint.Host, endpoint.Port)));
            current?.Cancel();
        }
    }
}
