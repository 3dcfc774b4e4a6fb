using System.Net;
using Twine.Defer;
using Twine.Time;

namespace Twine.Net;

/// <summary>
/// Connects a single protocol instance without writing a factory, after Twisted's <c>ClientCreator</c> (PF5): each
/// <c>Connect*</c> call builds the protocol up front and returns a Deferred that fires with it once connected, or
/// fails with the connection error. Cancelling the Deferred abandons the attempt.
/// </summary>
/// <remarks>
/// The reactor must provide <see cref="IReactorTcp"/> for <see cref="ConnectTcp"/> and <see cref="IReactorUnix"/>
/// for <see cref="ConnectUnix"/>. The result is delivered from a zero-delay call on the reactor, as in Twisted, so the
/// protocol's <c>ConnectionMade</c> has run before your callback does.
/// </remarks>
/// <example>
/// <code>
/// var creator = new ClientCreator&lt;Greeter&gt;(reactor, () => new Greeter());
/// Greeter greeter = await creator.ConnectTcp("localhost", 8000);
/// greeter.SendLine("hello");
/// </code>
/// </example>
/// <typeparam name="TProtocol">The protocol type the Deferred delivers.</typeparam>
public sealed class ClientCreator<TProtocol> where TProtocol : class, IProtocol
{
    private readonly IReactorTime _reactor;
    private readonly Func<TProtocol> _build;

    /// <summary>Creates a client creator that builds each connection's protocol with <paramref name="build"/>.</summary>
    public ClientCreator(IReactorTime reactor, Func<TProtocol> build)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(build);
        _reactor = reactor;
        _build = build;
    }

    /// <summary>Connects over TCP; the arguments are those of <see cref="IReactorTcp.ConnectTcp"/> without the factory.</summary>
    /// <exception cref="NotSupportedException">The reactor does not provide <see cref="IReactorTcp"/>.</exception>
    public Deferred<TProtocol> ConnectTcp(string host, int port, TimeSpan? timeout = null, EndPoint? bindAddress = null)
    {
        var tcp = _reactor as IReactorTcp ?? throw new NotSupportedException($"{_reactor.GetType().Name} does not provide IReactorTcp.");
        return Connect(factory => tcp.ConnectTcp(host, port, factory, timeout, bindAddress));
    }

    /// <summary>Connects to a Unix socket; the arguments are those of <see cref="IReactorUnix.ConnectUnix"/> without the factory.</summary>
    /// <exception cref="NotSupportedException">The reactor does not provide <see cref="IReactorUnix"/>.</exception>
    public Deferred<TProtocol> ConnectUnix(string path, TimeSpan? timeout = null, bool checkPid = false)
    {
        var unix = _reactor as IReactorUnix ?? throw new NotSupportedException($"{_reactor.GetType().Name} does not provide IReactorUnix.");
        return Connect(factory => unix.ConnectUnix(path, factory, timeout, checkPid));
    }

    private Deferred<TProtocol> Connect(Func<ClientFactory, IConnector> connect)
    {
        InstanceFactory? factory = null;
        IConnector? connector = null;
        var deferred = new Deferred<TProtocol>(_ =>
        {
            connector?.Disconnect();
            factory?.CancelPending();
        });
        factory = new InstanceFactory(_reactor, _build(), deferred);
        connector = connect(factory);
        return deferred;
    }

    /// <summary>Hands out the one pre-built instance and fires the caller's Deferred from the reactor (PF5).</summary>
    private sealed class InstanceFactory : ClientFactory
    {
        private readonly IReactorTime _reactor;
        private readonly TProtocol _instance;
        private Deferred<TProtocol>? _deferred;
        private IDelayedCall? _pending;

        public InstanceFactory(IReactorTime reactor, TProtocol instance, Deferred<TProtocol> deferred)
        {
            _reactor = reactor;
            _instance = instance;
            _deferred = deferred;
            Noisy = false;
        }

        public override IProtocol? BuildProtocol(EndPoint address)
        {
            if (_deferred is { } d)
            {
                _deferred = null;
                _pending = _reactor.CallLater(TimeSpan.Zero, () => { _pending = null; d.Callback(_instance); });
            }
            if (_instance is Protocol p) p.Factory = this;
            return _instance;
        }

        public override void ClientConnectionFailed(IConnector connector, Failure reason)
        {
            if (_deferred is not { } d) return;
            _deferred = null;
            _pending = _reactor.CallLater(TimeSpan.Zero, () => { _pending = null; d.Errback(reason); });
        }

        public void CancelPending()
        {
            if (_pending is { IsActive: true } call) call.Cancel();
            _pending = null;
        }

        public override string ToString() => $"<ClientCreator factory: {_instance}>";
    }
}
