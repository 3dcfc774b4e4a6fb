namespace Twine.Web.Tests.Resources;

public class RouterTests
{
    private static HttpHarness Serve(IResource root, string request) => new HttpHarness(root).Send(request);

    private static Router Sample() => new Router()
        .Get("/", _ => "home")
        .Get("/users/{id}", r => $"user {r.RouteValues["id"]}")
        .Post("/users", r => "created " + r.ReadBodyAsString())
        .Route("/any", r => "any " + r.Method)
        .Get("/files/{*rest}", r => "file " + r.RouteValues["rest"]);

    [Theory]
    [InlineData("GET / HTTP/1.1", "home")]
    [InlineData("GET /users/42 HTTP/1.1", "user 42")]
    [InlineData("GET /users/42/ HTTP/1.1", "user 42")]
    [InlineData("GET /users/a%20b HTTP/1.1", "user a b")]
    [InlineData("PUT /any HTTP/1.1", "any PUT")]
    [InlineData("GET /files/a/b/c.txt HTTP/1.1", "file a/b/c.txt")]
    public void MatchesPatterns(string requestLine, string body)
    {
        var h = Serve(Sample(), requestLine + "\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        Assert.Equal(body, h.Single().BodyText);
    }

    [Fact]
    public void PostGetsTheBody() =>
        Assert.Equal("created bob", Serve(Sample(), "POST /users HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nbob").Single("POST").BodyText);

    [Fact]
    public void UnmatchedPathIs404() =>
        Assert.Equal(404, Serve(Sample(), "GET /users/1/2 HTTP/1.1\r\nHost: x\r\n\r\n").Single().Code);

    [Fact]
    public void WrongMethodIs405WithAllow()
    {
        var r = Serve(Sample(), "DELETE /users HTTP/1.1\r\nHost: x\r\n\r\n").Single();
        Assert.Equal(405, r.Code);
        Assert.Equal("POST", r.Header("Allow"));
        var g = Serve(Sample(), "DELETE /users/1 HTTP/1.1\r\nHost: x\r\n\r\n").Single();
        Assert.Equal("GET, HEAD", g.Header("Allow"));
    }

    [Fact]
    public void HeadUsesTheGetRoute()
    {
        var r = Serve(Sample(), "HEAD /users/7 HTTP/1.1\r\nHost: x\r\n\r\n").Single("HEAD");
        Assert.Equal(200, r.Code);
        Assert.Equal("6", r.Header("Content-Length"));
    }

    [Fact]
    public void RouterIsAResourceMountedInTheTree()
    {
        var root = new Resource();
        root.PutChild("api", Sample());
        Assert.Equal("user 9", Serve(root, "GET /api/users/9 HTTP/1.1\r\nHost: x\r\n\r\n").Single().BodyText);
    }

    [Fact]
    public void MountHandsTheRestToAResourceTree()
    {
        var sub = new Resource();
        sub.PutChild("leaf", new DelegateResource(r => $"leaf {string.Join('/', r.Prepath)} | {string.Join('/', r.Postpath)}"));
        var router = new Router().Mount("/static", sub);
        Assert.Equal("leaf static/leaf | x", Serve(router, "GET /static/leaf/x HTTP/1.1\r\nHost: x\r\n\r\n").Single().BodyText);
    }

    [Theory]
    [InlineData("users")]
    [InlineData("/{*rest}/x")]
    [InlineData("/{id")]
    public void MalformedPatternsAreRefused(string pattern) =>
        Assert.Throws<ArgumentException>(() => new Router().Get(pattern, _ => ""));
}
