using System.Text;
using Twine.Web;

namespace HttpEcho;

/// <summary>
/// The resource tree external HTTP test tools are pointed at. Keep these routes exactly:
/// <c>/</c> (GET, HEAD → "OK"; POST → the body; OPTIONS → Allow), <c>/echo</c> (the request's headers) and
/// <c>/cookie</c> (the request's cookies).
/// </summary>
public static class EchoSite
{
    public static Resource CreateRoot()
    {
        var root = new Resource();
        root.PutChild("", new Home());
        root.PutChild("echo", new Headers());
        root.PutChild("cookie", new Cookies());
        return root;
    }

    /// <summary>"/": OK for GET and HEAD, the body back for POST, the method list for OPTIONS.</summary>
    private sealed class Home : Resource
    {
        public override bool IsLeaf => true;

        protected override RenderResult RenderGet(Request request)
        {
            request.SetHeader("Content-Type", "text/plain");
            return "OK";
        }

        protected override RenderResult RenderPost(Request request)
        {
            request.SetHeader("Content-Type", request.GetHeader("Content-Type") ?? "application/octet-stream");
            return request.ReadBody();
        }

        protected override RenderResult RenderOptions(Request request)
        {
            request.SetHeader("Allow", "GET, HEAD, POST, OPTIONS");
            request.SetHeader("Content-Type", "text/plain");
            return "";
        }
    }

    /// <summary>"/echo": every request header, one "Name: value" line each, whatever the method.</summary>
    private sealed class Headers : Resource
    {
        public override bool IsLeaf => true;

        public override RenderResult Render(Request request)
        {
            var text = new StringBuilder();
            foreach (var (name, value) in request.Headers) text.Append(name).Append(": ").Append(value).Append('\n');
            request.SetHeader("Content-Type", "text/plain; charset=utf-8");
            return text.ToString();
        }
    }

    /// <summary>"/cookie": every cookie sent, one "name=value" line each, whatever the method.</summary>
    private sealed class Cookies : Resource
    {
        public override bool IsLeaf => true;

        public override RenderResult Render(Request request)
        {
            var text = new StringBuilder();
            foreach (var (name, value) in request.Cookies) text.Append(name).Append('=').Append(value).Append('\n');
            request.SetHeader("Content-Type", "text/plain; charset=utf-8");
            return text.ToString();
        }
    }
}
