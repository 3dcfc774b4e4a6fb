using System.Net;
using Twine.Defer;

namespace Twine.Net;

/// <summary>
/// A listening socket, as returned by <see cref="IReactorTcp.ListenTcp(int, IProtocolFactory, int, string)"/>, <see cref="IReactorUnix.ListenUnix"/> and
/// <see cref="IReactorUdp.ListenUdp"/> (Twisted's <c>IListeningPort</c>).
/// </summary>
/// <example>
/// <code>
/// IListeningPort port = reactor.ListenTcp(0, Factory.ForProtocol&lt;Echo&gt;());
/// Console.WriteLine($"listening on {port.Host}");     // the OS-chosen port for 0
/// await port.StopListening();               // or: await using the port, or await port.DisposeAsync()
/// </code>
/// </example>
public interface IListeningPort : IAsyncDisposable
{
    /// <summary>The address the port is bound to (with the real port number when 0 was asked for).</summary>
    EndPoint Host { get; }

    /// <summary>Stops accepting connections; the Deferred fires once the socket is closed and the factory stopped.</summary>
    Deferred StopListening();

    /// <summary>
    /// <see cref="StopListening"/> as a <see cref="ValueTask"/>, so <c>await using</c> closes the port; completes when
    /// the socket is closed and the factory stopped. Call it on the reactor thread, as <see cref="StopListening"/>.
    /// </summary>
    ValueTask IAsyncDisposable.DisposeAsync() => new(StopListening().AsTask());
}
