using Twine.Defer;

namespace Twine.Web.Client;

/// <summary>
/// The tutorials' one-line conveniences on any <see cref="IAgent"/>: <see cref="GetPage"/> (Twisted's <c>getPage</c>)
/// and <see cref="DownloadPage"/> (<c>downloadPage</c>).
/// </summary>
/// <example>
/// <code>
/// var page = await new RedirectAgent(new Agent(reactor)).GetPage("http://127.0.0.1:8080/");
/// </code>
/// </example>
public static class AgentExtensions
{
    /// <summary>The body limit of <see cref="GetPage"/> and <see cref="DownloadPage"/>: 64 MiB.</summary>
    public const long DefaultPageLimit = 64L << 20;

    /// <summary>
    /// GETs <paramref name="url"/> and fires with the body. A 4xx or 5xx status fails with
    /// <see cref="HttpErrorStatusException"/>, which holds the error page.
    /// </summary>
    /// <param name="agent">The agent to send with.</param>
    /// <param name="url">An absolute http or https URL.</param>
    /// <param name="limit">The largest body accepted (<see cref="BodyTooLargeException"/> beyond it).</param>
    public static Deferred<byte[]> GetPage(this IAgent agent, string url, long limit = DefaultPageLimit)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return agent.Request("GET", url).AddCallback(response => response.ReadBody(limit).AddCallback(body =>
            response.Code >= 400 ? throw new HttpErrorStatusException(response.Code, response.Phrase, body) : body));
    }

    /// <summary>
    /// GETs <paramref name="url"/> into the file <paramref name="path"/> and fires with the number of bytes written. The
    /// body is held in memory up to <paramref name="limit"/> and written once complete, so a failed download leaves no
    /// partial file.
    /// </summary>
    public static Deferred<long> DownloadPage(this IAgent agent, string url, string path, long limit = DefaultPageLimit)
    {
        ArgumentNullException.ThrowIfNull(path);
        return agent.GetPage(url, limit).AddCallback(body =>
        {
            File.WriteAllBytes(path, body);
            return (long)body.Length;
        });
    }
}
