using Twine.Defer;

namespace Twine.Web.Client;

/// <summary>
/// Sends the cookies of a <see cref="CookieJar"/> with each request and stores the Set-Cookie fields of each response
/// (Twisted's <c>CookieAgent</c>). Put it outside a <see cref="RedirectAgent"/> to store cookies of the final response
/// only, or inside to see every hop's.
/// </summary>
/// <example>
/// <code>
/// var jar = new CookieJar();
/// var agent = new RedirectAgent(new CookieAgent(new Agent(reactor), jar));
/// await agent.GetPage("http://127.0.0.1:8080/login");
/// await agent.GetPage("http://127.0.0.1:8080/account");   // sends the session cookie
/// </code>
/// </example>
public sealed class CookieAgent : IAgent
{
    private readonly IAgent _agent;

    /// <summary>Wraps <paramref name="agent"/>, keeping cookies in <paramref name="jar"/>.</summary>
    public CookieAgent(IAgent agent, CookieJar jar)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(jar);
        _agent = agent;
        Jar = jar;
    }

    /// <summary>The jar.</summary>
    public CookieJar Jar { get; }

    /// <inheritdoc />
    public Deferred<Response> Request(string method, string uri, IEnumerable<KeyValuePair<string, string>>? headers = null, IBodyProducer? body = null)
    {
        var fields = (headers ?? []).ToList();
        if (Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && Jar.CookieHeaderFor(parsed) is { } cookies &&
            !fields.Any(f => f.Key.Equals("Cookie", StringComparison.OrdinalIgnoreCase)))
            fields.Add(new("Cookie", cookies));
        return _agent.Request(method, uri, fields, body).AddCallback(response =>
        {
            Jar.Store(response.RequestUri, response.Headers.GetAll("Set-Cookie"));
            return response;
        });
    }
}
