namespace Twine.Reactors;

/// <summary>
/// Which code moves a reactor's socket bytes (<see cref="ReactorOptions.SocketLayer"/>). Protocols, factories and
/// endpoints see no difference: the same transports' behaviour, flow control and errors on either layer.
/// </summary>
/// <example>
/// <code>
/// // Run on the portable layer on Linux too (as TWINE_SOCKETS=portable would):
/// using var reactor = Reactor.Create(new ReactorOptions { SocketLayer = SocketLayer.Portable });
/// </code>
/// </example>
public enum SocketLayer
{
    /// <summary>The <c>TWINE_SOCKETS</c> environment variable (<c>native</c> or <c>portable</c>) decides; otherwise native on Linux, portable elsewhere.</summary>
    Auto,

    /// <summary>Twine's own transports on raw descriptors and readiness (epoll or poll): Linux only, the fast path.</summary>
    Native,

    /// <summary>Transports on <see cref="System.Net.Sockets.Socket"/> whose completions are posted to the reactor thread: every OS .NET runs on.</summary>
    Portable,
}
