using System.Net.Sockets;
using Twine.Defer;

namespace Twine.Net.Endpoints;

/// <summary>
/// A server endpoint on a listening socket made elsewhere (Twisted's <c>AdoptedStreamServerEndpoint</c>): listening
/// adopts <see cref="FileDescriptor"/> with <see cref="IReactorSocket.AdoptStreamPort"/>. The endpoint strings
/// <c>systemd:domain=INET:index=0</c> and <c>adopt:fd=3</c> make one.
/// </summary>
/// <remarks>
/// Departure from Twisted, whose endpoint closes the descriptor after adopting it (so it can listen once): this one
/// leaves it open, since the reactor works on a duplicate. Each reactor of a <c>ReactorGroup</c> can then adopt the
/// same inherited socket (they share its accept queue), and a port stopped and listened again finds it still there.
/// </remarks>
/// <example>
/// <code>
/// var port = await new AdoptedStreamServerEndpoint(reactor, 3, AddressFamily.InterNetwork).Listen(Factory.ForProtocol&lt;Echo&gt;());
/// </code>
/// </example>
public sealed class AdoptedStreamServerEndpoint : IStreamServerEndpoint
{
    private readonly IReactorSocket _reactor;

    /// <summary>Creates the endpoint; nothing is adopted until <see cref="Listen"/>.</summary>
    public AdoptedStreamServerEndpoint(IReactorSocket reactor, int fileDescriptor, AddressFamily addressFamily)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentOutOfRangeException.ThrowIfNegative(fileDescriptor);
        _reactor = reactor;
        FileDescriptor = fileDescriptor;
        AddressFamily = addressFamily;
    }

    /// <summary>The listening socket's descriptor.</summary>
    public int FileDescriptor { get; }

    /// <summary>The socket's family.</summary>
    public AddressFamily AddressFamily { get; }

    /// <summary>Adopts the socket; an error (not a listening socket of that family, say) becomes the Deferred's failure.</summary>
    public Deferred<IListeningPort> Listen(IProtocolFactory factory)
    {
        try
        {
            return Deferred.Succeed(_reactor.AdoptStreamPort(FileDescriptor, AddressFamily, factory));
        }
        catch (Exception ex)
        {
            return Deferred.Fail<IListeningPort>(ex);
        }
    }
}
