using Twine.Defer;

namespace Twine.Web.Client;

/// <summary>
/// Something that sends HTTP requests (Twisted's <c>IAgent</c>): <see cref="Agent"/> itself, and the agents that wrap
/// another to add a behaviour (<see cref="RedirectAgent"/>, <see cref="ContentDecoderAgent"/>, <see cref="CookieAgent"/>).
/// <see cref="AgentExtensions"/> adds <c>GetPage</c> and <c>DownloadPage</c> to all of them.
/// </summary>
/// <example>
/// <code>
/// IAgent agent = new RedirectAgent(new ContentDecoderAgent(new Agent(reactor)));
/// var page = await agent.GetPage("http://127.0.0.1:8080/old-address");
/// </code>
/// </example>
public interface IAgent
{
    /// <summary>
    /// Sends <paramref name="method"/> to <paramref name="uri"/>; the Deferred fires with the response once its head has
    /// arrived. Cancelling it abandons the request and its connection.
    /// </summary>
    /// <param name="method">The method, such as GET or POST.</param>
    /// <param name="uri">An absolute http or https URL.</param>
    /// <param name="headers">Extra header fields; Host is set from the URL unless given.</param>
    /// <param name="body">The request body, or null for none.</param>
    Deferred<Response> Request(string method, string uri, IEnumerable<KeyValuePair<string, string>>? headers = null, IBodyProducer? body = null);
}
