using Twine.Defer;

namespace Twine.Web.Client;

/// <summary>
/// Follows redirects (Twisted's <c>RedirectAgent</c> and <c>BrowserLikeRedirectAgent</c>), with RFC 9110's method
/// rules: 303 turns any method but HEAD into a GET without a body; 301 and 302 turn POST into GET (what every browser
/// does and §15.4.2 allows) and keep other methods; 307 and 308 keep the method and the body (a body that cannot be
/// produced again is refused with <see cref="RedirectRefusedException"/>). A redirect from https to http is refused
/// unless <see cref="AllowHttpsToHttp"/>; more than <see cref="Limit"/> redirects fail with
/// <see cref="TooManyRedirectsException"/>. Authorization and Cookie fields are dropped when the redirect leaves the
/// origin. Each redirect response's body is read (up to 1 MiB) and dropped, so its connection returns to the pool.
/// </summary>
/// <example>
/// <code>
/// var agent = new RedirectAgent(new Agent(reactor)) { Limit = 5 };
/// var response = await agent.Request("GET", "http://127.0.0.1:8080/old");
/// Console.WriteLine(response.RequestUri);   // where it ended up
/// </code>
/// </example>
public sealed class RedirectAgent : IAgent
{
    private const long RedirectBodyLimit = 1 << 20;
    private readonly IAgent _agent;
    private int _limit = 20;

    /// <summary>Wraps <paramref name="agent"/>.</summary>
    public RedirectAgent(IAgent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        _agent = agent;
    }

    /// <summary>The most redirects followed for one request (default 20, as Twisted's <c>redirectLimit</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public int Limit
    {
        get => _limit;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _limit = value;
        }
    }

    /// <summary>Whether a redirect from https to http is followed (default false: it would expose the request).</summary>
    public bool AllowHttpsToHttp { get; set; }

    /// <inheritdoc />
    public Deferred<Response> Request(string method, string uri, IEnumerable<KeyValuePair<string, string>>? headers = null, IBodyProducer? body = null)
    {
        Deferred<Response>? current = null;
        Deferred<byte[]>? draining = null;
        var result = new Deferred<Response>(_ =>
        {
            current?.Cancel();
            draining?.Cancel();
        });
        var fields = (headers ?? []).ToList();
        Send(method, uri, body, 0, null);
        return result;

        void Send(string m, string u, IBodyProducer? b, int redirects, Response? previous)
        {
            current = _agent.Request(m, u, fields, b);
            current.AddBoth(outcome =>
            {
                current = null;
                if (result.Called) return;
                if (outcome.Failure is { } failure)
                {
                    result.Errback(failure);
                    return;
                }
                var response = outcome.Value;
                response.PreviousResponse = previous;
                Follow(m, b, redirects, response);
            });
        }

        void Follow(string m, IBodyProducer? b, int redirects, Response response)
        {
            if (response.Code is not (301 or 302 or 303 or 307 or 308) || response.Headers.Get("Location") is not { } location)
            {
                result.Callback(response);
                return;
            }
            if (redirects >= _limit)
            {
                result.Errback(new TooManyRedirectsException(_limit, response));
                return;
            }
            if (!Uri.TryCreate(response.RequestUri, location.Trim(), out var next) ||
                (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps))
            {
                result.Errback(new RedirectRefusedException($"Cannot follow a redirect to '{location}'.", response));
                return;
            }
            if (response.RequestUri.Scheme == Uri.UriSchemeHttps && next.Scheme == Uri.UriSchemeHttp && !AllowHttpsToHttp)
            {
                result.Errback(new RedirectRefusedException($"Refusing to follow a redirect from https to '{next}'.", response));
                return;
            }
            string method = m;
            var nextBody = b;
            if ((response.Code == 303 && m != "HEAD") || (response.Code is 301 or 302 && m == "POST"))
            {
                method = "GET";
                nextBody = null;
            }
            else if (b is not null and not BytesBodyProducer)
            {
                result.Errback(new RedirectRefusedException($"Cannot repeat the request body for a {response.Code} redirect.", response));
                return;
            }
            if (!SameOrigin(response.RequestUri, next))
                fields.RemoveAll(f => f.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase) ||
                                      f.Key.Equals("Cookie", StringComparison.OrdinalIgnoreCase));
            // Read the redirect's own body first, so its connection is free for the next request (the pool may be at its cap).
            draining = response.ReadBody(RedirectBodyLimit);
            draining.AddBoth(_ =>
            {
                draining = null;
                if (!result.Called) Send(method, next.AbsoluteUri, nextBody, redirects + 1, response);
            });
        }
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && a.Port == b.Port && string.Equals(a.DnsSafeHost, b.DnsSafeHost, StringComparison.OrdinalIgnoreCase);
}
