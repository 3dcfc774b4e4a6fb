using Twine.Defer;
using Twine.Net;
using Twine.Web.Http;
using Twine.Web.Server;

namespace Twine.Web;

public sealed partial class Request
{
    /// <summary>Made on first use: most requests have no body, query, cookies, producer or trailers.</summary>
    private Occasional More => _more ??= new();

    /// <summary>
    /// The state only some requests need, kept apart so that a plain keep-alive GET allocates a small request object:
    /// its body and how it is delivered, where it was routed early, its parsed query, cookies and route values, and the
    /// response's reason phrase, producer, trailers and finish notifications.
    /// </summary>
    private sealed class Occasional
    {
        public RequestBody? Body;
        public Stream? Content;
        public HttpHeaders? Trailers;
        public IBodyReceiver? Receiver;
        public bool BodyEnded;
        public Failure? BodyError;
        public bool StreamsBody;
        public bool IsLocated;
        public IResource? Located;
        public Exception? LocateError;
        public Dictionary<string, List<string>>? Args;
        public Dictionary<string, string>? Cookies;
        public Dictionary<string, string>? RouteValues;
        public string? CodeMessage;
        public IProducer? Producer;
        public ResponseHeaders? ResponseTrailers;
        public List<Deferred<Unit>>? Notifications;
    }
}
