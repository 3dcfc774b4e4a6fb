namespace Twine.Net.Endpoints;

/// <summary>Makes client endpoints for one description-string type that Twine does not know (EP4; see <see cref="EndpointParsers"/>).</summary>
/// <example>
/// <code>
/// sealed class SocksParser : IStreamClientEndpointStringParser
/// {
///     public string Prefix => "socks";
///     public IStreamClientEndpoint ParseStreamClient(IReactorStreamSockets reactor, EndpointArguments a) =>
///         new SocksEndpoint(reactor, a.Positional[0], int.Parse(a.Positional[1]));
/// }
/// EndpointParsers.Default.Register(new SocksParser());
/// </code>
/// </example>
public interface IStreamClientEndpointStringParser
{
    /// <summary>The type name this parser handles, matched case-insensitively.</summary>
    string Prefix { get; }

    /// <summary>Builds the endpoint from the arguments after the type name.</summary>
    /// <param name="reactor">The reactor given to <see cref="Endpoints.Client"/>; test it for any other role you need (<c>reactor as IReactorX</c>).</param>
    /// <param name="arguments">The positional and keyword arguments of the description, unescaped.</param>
    /// <exception cref="ArgumentException">The arguments are wrong.</exception>
    IStreamClientEndpoint ParseStreamClient(IReactorStreamSockets reactor, EndpointArguments arguments);
}
