using Twine.Defer;
using Twine.Net.Endpoints;

namespace Twine.Net.Endpoints;

/// <summary>
/// Endpoints from description strings, after Twisted's <c>serverFromString</c>, <c>clientFromString</c> and
/// <c>connectProtocol</c>, with Twisted's exact syntax (EP1–EP3): <c>tcp:8080:interface=127.0.0.1</c>,
/// <c>tcp:host=example.org:port=80</c>, <c>unix:/run/app.sock</c>, <c>tcp6:8080</c>.
/// </summary>
/// <remarks>
/// <para>Arguments are separated by ':'; in a <c>key=value</c> argument only the first '=' separates; a backslash makes
/// the next character literal, so an IPv6 address is written <c>interface=\:\:1</c> (see
/// <see cref="QuoteStringArgument"/>).</para>
/// <para>Server defaults: <c>tcp</c> backlog 50 and every IPv4 interface; <c>unix</c> mode 0666, backlog 50 and a lock
/// file (<c>lockfile=1</c>). Client defaults: timeout 30 s, no bind address, no lock-file check. Server type names are
/// case-sensitive, client ones are not. <c>ssl:</c>/<c>tls:</c> wrap TCP in TLS (<see cref="TlsServerEndpoint"/>,
/// <see cref="TlsClientEndpoint"/>); other types come from <see cref="EndpointParsers"/>.</para>
/// </remarks>
/// <example>
/// <code>
/// var port = await Endpoints.Server(reactor, "tcp:8080:interface=127.0.0.1").Listen(Factory.ForProtocol&lt;Echo&gt;());
/// var client = await Endpoints.ConnectProtocol(Endpoints.Client(reactor, "tcp:localhost:8080"), new Greeter());
/// </code>
/// </example>
public static class Endpoints
{
    /// <summary>A server endpoint from a description such as <c>tcp:8080:interface=127.0.0.1</c> (Twisted's <c>serverFromString</c>).</summary>
    /// <exception cref="ArgumentException">An unknown type, or arguments that do not fit it.</exception>
    /// <exception cref="NotSupportedException">An <c>ssl:</c> description asks for a protocol version older than TLS 1.2.</exception>
    public static IStreamServerEndpoint Server(IReactorStreamSockets reactor, string description, EndpointParsers? parsers = null)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        var parsed = EndpointDescription.Parse(description);
        var parser = (parsers ?? EndpointParsers.Default).FindServer(parsed.Positional[0]);
        return parser.ParseStreamServer(reactor, parsed.WithoutType());
    }

    /// <summary>A client endpoint from a description such as <c>tcp:host=example.org:port=80</c> (Twisted's <c>clientFromString</c>).</summary>
    /// <exception cref="ArgumentException">An unknown type, or arguments that do not fit it (a missing port, an unknown keyword).</exception>
    public static IStreamClientEndpoint Client(IReactorStreamSockets reactor, string description, EndpointParsers? parsers = null)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        var parsed = EndpointDescription.Parse(description);
        var parser = (parsers ?? EndpointParsers.Default).FindClient(parsed.Positional[0]);
        return parser.ParseStreamClient(reactor, parsed.WithoutType());
    }

    /// <summary>
    /// Connects <paramref name="protocol"/> itself through <paramref name="endpoint"/> (Twisted's <c>connectProtocol</c>);
    /// the Deferred fires with it once connected. Cancelling it stops the attempt.
    /// </summary>
    public static Deferred<TProtocol> ConnectProtocol<TProtocol>(IStreamClientEndpoint endpoint, TProtocol protocol) where TProtocol : IProtocol
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(protocol);
        var factory = new Factory(() => protocol) { Noisy = false };
        return endpoint.Connect(factory).AddCallback(p => (TProtocol)p);
    }

    /// <summary>Splits a description into positional and keyword arguments by Twisted's rules (EP1), without interpreting it.</summary>
    public static EndpointArguments Parse(string description) => EndpointDescription.Parse(description);

    /// <summary>Escapes <paramref name="argument"/> for use in a description: a backslash before each '\' and ':' (Twisted's <c>quoteStringArgument</c>).</summary>
    public static string QuoteStringArgument(string argument) => EndpointDescription.Quote(argument);
}
