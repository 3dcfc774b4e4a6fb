namespace Twine.Net.Endpoints;

/// <summary>
/// Makes server endpoints for one description-string type that Twine does not know (EP4: Twisted discovers these as
/// plugins; Twine has an explicit registry, <see cref="EndpointParsers"/>).
/// </summary>
/// <example>
/// <code>
/// sealed class StdioParser : IStreamServerEndpointStringParser
/// {
///     public string Prefix => "stdio";
///     public IStreamServerEndpoint ParseStreamServer(IReactorStreamSockets reactor, EndpointArguments arguments) => new StdioEndpoint(reactor);
/// }
/// EndpointParsers.Default.Register(new StdioParser());
/// var endpoint = Endpoints.Server(reactor, "stdio:");
/// </code>
/// </example>
public interface IStreamServerEndpointStringParser
{
    /// <summary>The type name this parser handles, matched case-insensitively (the part before the first ':').</summary>
    string Prefix { get; }

    /// <summary>Builds the endpoint from the arguments after the type name.</summary>
    /// <param name="reactor">The reactor given to <see cref="Endpoints.Server"/>; test it for any other role you need (<c>reactor as IReactorX</c>).</param>
    /// <param name="arguments">The positional and keyword arguments of the description, unescaped.</param>
    /// <exception cref="ArgumentException">The arguments are wrong (Twisted's <c>TypeError</c>/<c>ValueError</c>).</exception>
    IStreamServerEndpoint ParseStreamServer(IReactorStreamSockets reactor, EndpointArguments arguments);
}
