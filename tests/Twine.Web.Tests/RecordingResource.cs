using System.Text;

namespace Twine.Web.Tests;

/// <summary>A leaf resource that records every request it renders and answers with "method path body".</summary>
internal sealed class RecordingResource : Resource
{
    public List<(string Method, string Uri, string Body)> Seen { get; } = [];

    public override bool IsLeaf => true;

    public override IReadOnlyList<string> AllowedMethods => ["GET", "HEAD", "POST", "PUT"];

    public override RenderResult Render(Request request)
    {
        var body = request.ReadBodyAsString();
        Seen.Add((request.Method, request.Uri, body));
        request.SetHeader("Content-Type", "text/plain");
        return request.Method is "GET" or "HEAD" or "POST" or "PUT"
            ? $"{request.Method} {request.Uri} {body}"
            : throw new UnsupportedMethodException(AllowedMethods);
    }

    public IEnumerable<string> Uris => Seen.Select(s => s.Uri);
}
