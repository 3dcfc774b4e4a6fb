using System.Net;
using Twine.Defer;
using Twine.Logging;

namespace Twine.Web.Tests.Resources;

public class ResourceTests
{
    private sealed class Page(string text) : Resource
    {
        public List<string> Prepath = [], Postpath = [];
        public override bool IsLeaf => true;
        protected override RenderResult RenderGet(Request request)
        {
            Prepath = [.. request.Prepath];
            Postpath = [.. request.Postpath];
            return text;
        }
    }

    private sealed class Methods : Resource
    {
        public override bool IsLeaf => true;
        protected override RenderResult RenderGet(Request request) => "get";
        protected override RenderResult RenderPost(Request request) => "post";
    }

    private sealed class Dynamic : Resource
    {
        protected override IResource GetChild(string name, Request request) =>
            name.StartsWith('u') ? new Page("user " + name) : base.GetChild(name, request);
    }

    [Fact]
    public void TraversalMovesSegmentsFromPostpathToPrepath()   // WEB1
    {
        var root = new Resource();
        var child = new Resource();
        var leaf = new Page("leaf");
        root.PutChild("a", child);
        child.PutChild("b", leaf);
        var h = new HttpHarness(root).Send("GET /a/b/c/d HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("leaf", h.Single().BodyText);
        Assert.Equal(["a", "b"], leaf.Prepath);
        Assert.Equal(["c", "d"], leaf.Postpath);
    }

    [Fact]
    public void RootPathIsTheEmptyChild()   // WEB1
    {
        var root = new Resource();
        root.PutChild("", new Page("home"));
        var h = new HttpHarness(root).Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("home", h.Single().BodyText);
    }

    [Fact]
    public void MissingChildIs404AndDynamicChildrenWork()   // WEB2
    {
        var h = new HttpHarness(new Dynamic()).Send("GET /nope HTTP/1.1\r\nHost: x\r\n\r\nGET /u42 HTTP/1.1\r\nHost: x\r\n\r\n");
        var rs = h.Responses();
        Assert.Equal(404, rs[0].Code);
        Assert.Contains("No Such Resource", rs[0].BodyText);
        Assert.Equal("user u42", rs[1].BodyText);
    }

    [Fact]
    public void SegmentsArePercentDecoded()
    {
        var root = new Resource();
        root.PutChild("a b", new Page("spaced"));
        Assert.Equal("spaced", new HttpHarness(root).Send("GET /a%20b HTTP/1.1\r\nHost: x\r\n\r\n").Single().BodyText);
    }

    [Fact]
    public void UnrenderedMethodIs405WithAllow()   // WEB3
    {
        var h = new HttpHarness(new Methods()).Send("DELETE / HTTP/1.1\r\nHost: x\r\n\r\n");
        var r = h.Single();
        Assert.Equal(405, r.Code);
        Assert.Equal("GET, HEAD, POST", r.Header("Allow"));
    }

    [Theory]
    [InlineData("BREW / HTTP/1.1")]
    [InlineData("hlalauguG / HTTP/1.1")]
    [InlineData("CONNECT example.com:443 HTTP/1.1")]
    public void UnknownMethodsAndConnectAre501(string requestLine)   // WEB3
    {
        var r = new HttpHarness(new Methods()).Send(requestLine + "\r\nHost: x\r\n\r\n").Single();
        Assert.Equal(501, r.Code);
    }

    [Fact]
    public void OptionsStarIsAnsweredByTheServer()   // WEB9
    {
        var r = new HttpHarness(new Methods()).Send("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n").Single();
        Assert.Equal(200, r.Code);
        Assert.Equal("0", r.Header("Content-Length"));
    }

    [Fact]
    public void HeadFallsBackToGet()   // WEB4
    {
        var h = new HttpHarness(new Methods()).Send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
        var r = h.Single("HEAD");
        Assert.Equal(200, r.Code);
        Assert.Equal("3", r.Header("Content-Length"));
        Assert.Empty(r.Body);
    }

    private sealed class OwnHead : Resource
    {
        public int Gets, Heads;
        public override bool IsLeaf => true;
        protected override RenderResult RenderGet(Request request) { Gets++; return "body"; }
        protected override RenderResult RenderHead(Request request) { Heads++; return "head!"; }
    }

    [Fact]
    public void AnOverriddenRenderHeadIsUsedForHead()   // WEB4
    {
        var own = new OwnHead();
        var r = new HttpHarness(own).Send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n").Single("HEAD");
        Assert.Equal("5", r.Header("Content-Length"));
        Assert.Equal((0, 1), (own.Gets, own.Heads));
    }

    private sealed class Later : Resource
    {
        public readonly Deferred<Unit> Gate = new();
        public override bool IsLeaf => true;
        protected override RenderResult RenderGet(Request request) => Render();
        private async Deferred<RenderResult> Render()
        {
            await Gate;
            return "later";
        }
    }

    [Fact]
    public void RenderMayReturnAnAsyncDeferred()   // WEB5
    {
        var later = new Later();
        var h = new HttpHarness(later).Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("", h.Output);
        later.Gate.Callback(Unit.Value);
        Assert.Equal("later", h.Single().BodyText);
    }

    [Fact]
    public void FailedDeferredIs500()
    {
        var d = new Deferred<string>();
        var h = new HttpHarness(new DelegateResource(_ => d)).Send("GET /deferred-failure HTTP/1.1\r\nHost: x\r\n\r\n");
        d.Errback(new InvalidOperationException("boom"));
        Assert.Equal(500, h.Single().Code);
    }

    [Fact]
    public void ExceptionIsLoggedWithItsTracebackAndAnswered500WithoutIt()   // WEB6
    {
        var seen = new List<LogEvent>();
        void Observe(LogEvent e) { if (e.Message.Contains("/explode-quiet")) lock (seen) seen.Add(e); }
        Log.Observed += Observe;
        try
        {
            var h = new HttpHarness(new DelegateResource(_ => throw new InvalidOperationException("secret detail")))
                .Send("GET /explode-quiet HTTP/1.1\r\nHost: x\r\n\r\n");
            var r = h.Single();
            Assert.Equal(500, r.Code);
            Assert.DoesNotContain("secret detail", r.BodyText);
            Assert.False(h.Closed);
        }
        finally
        {
            Log.Observed -= Observe;
        }
        var logged = Assert.Single(seen);
        Assert.Equal(LogLevel.Error, logged.Level);
        Assert.Contains("secret detail", logged.Failure!.GetTraceback());
    }

    [Fact]
    public void DisplayTracebacksShowsTheException()
    {
        var h = new HttpHarness(new DelegateResource(_ => throw new InvalidOperationException("shown detail")));
        h.Site.DisplayTracebacks = true;
        h.Send("GET /explode-shown HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Contains("shown detail", h.Single().BodyText);
    }

    [Fact]
    public void ExceptionAfterWritingStartedAbortsTheConnection()
    {
        var h = new HttpHarness(new DelegateResource(r =>
        {
            r.Write("partial");
            throw new InvalidOperationException("late");
        })).Send("GET /explode-late HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.True(h.Transport.Disconnected);
    }

    [Fact]
    public void RequestExposesQueryHeadersCookiesAddressesAndBody()   // WEB7
    {
        Request? seen = null;
        string? body = null;
        var h = new HttpHarness(new DelegateResource(r =>
        {
            seen = r;
            body = r.ReadBodyAsString();
            return "";
        }));
        h.Send("POST /p/q?a=1&b=x+y&a=%C3%A9&flag HTTP/1.1\r\nHost: example.com\r\nX-Multi: 1\r\nx-multi: 2\r\n" +
               "Cookie: session=abc; theme=\"dark\"\r\nCookie: other=1\r\nContent-Length: 4\r\n\r\nbody");
        Assert.NotNull(seen);
        Assert.Equal("POST", seen!.Method);
        Assert.Equal("/p/q?a=1&b=x+y&a=%C3%A9&flag", seen.Uri);
        Assert.Equal("/p/q", seen.Path);
        Assert.Equal(["1", "é"], seen.Args["a"]);
        Assert.Equal("x y", seen.GetArg("b"));
        Assert.Equal("", seen.GetArg("flag"));
        Assert.Null(seen.GetArg("missing"));
        Assert.Equal(["1", "2"], seen.Headers.GetAll("X-MULTI"));
        Assert.Equal("example.com", seen.GetHeader("host"));
        Assert.Equal("abc", seen.GetCookie("session"));
        Assert.Equal("dark", seen.GetCookie("theme"));
        Assert.Equal("1", seen.GetCookie("other"));
        Assert.Equal(IPAddress.Parse("192.168.1.1"), ((IPEndPoint)seen.ClientAddress).Address);
        Assert.Equal(12345, ((IPEndPoint)seen.HostAddress).Port);
        Assert.Equal("body", body);
        Assert.Equal("HTTP/1.1", seen.ClientProtocol);
        Assert.Throws<InvalidOperationException>(() => seen.ReadBody(limit: 3));
    }

    [Fact]
    public void CookiesAndRedirectsAreSent()
    {
        var h = new HttpHarness(new DelegateResource(r =>
        {
            r.AddCookie("a", "1", path: "/", httpOnly: true, sameSite: "Lax");
            r.AddCookie("b", "2", maxAge: TimeSpan.FromHours(1), secure: true);
            Assert.Throws<ArgumentException>(() => r.AddCookie("c", "x;y"));
            Assert.Throws<ArgumentException>(() => r.AddCookie("bad name", "v"));
            Assert.Throws<ArgumentException>(() => r.AddCookie("d", "v", path: "/\r\nX: y"));
            r.Redirect("/elsewhere");
            return "";
        })).Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        var res = h.Single();
        Assert.Equal(302, res.Code);
        Assert.Equal("/elsewhere", res.Header("Location"));
        var cookies = res.Headers.Where(x => x.Name == "Set-Cookie").Select(x => x.Value).ToList();
        Assert.Equal(["a=1; Path=/; HttpOnly; SameSite=Lax", "b=2; Max-Age=3600; Secure"], cookies);
    }

    [Fact]
    public void ErrorPageAnswersEveryMethodWithItsCode()
    {
        var root = new Resource();
        root.PutChild("gone", new ErrorPage(410, "Gone", "Removed <for good>."));
        var r = new HttpHarness(root).Send("POST /gone/deeper HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").Single("POST");
        Assert.Equal(410, r.Code);
        Assert.Contains("Removed &lt;for good&gt;.", r.BodyText);
    }

    [Fact]
    public void AccessLogIsOneCombinedFormatLinePerRequest()   // WEB8
    {
        var lines = new List<string>();
        void Observe(LogEvent e) { if (e.Message.Contains("/logged-path")) lock (lines) lines.Add(e.Message); }
        Log.Observed += Observe;
        try
        {
            var h = new HttpHarness(new DelegateResource(_ => "12345"));
            h.Site.LogRequests = true;
            h.Send("GET /logged-path?q=1 HTTP/1.1\r\nHost: x\r\nReferer: http://r/\r\nUser-Agent: test \"agent\"\r\n\r\n");
        }
        finally
        {
            Log.Observed -= Observe;
        }
        var line = Assert.Single(lines);
        Assert.Equal("192.168.1.1 - - [02/Dec/2026:10:00:00 +0000] \"GET /logged-path?q=1 HTTP/1.1\" 200 5 \"http://r/\" \"test \\\"agent\\\"\"", line);
    }
}
