using Twine.Web.Client;

namespace Twine.Web.Tests.Client;

/// <summary>The cookie jar's RFC 6265 rules (HC10): domain, path, expiry, Secure, replacement, and bad input.</summary>
public sealed class CookieJarTests
{
    private static readonly DateTimeOffset s_now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private DateTimeOffset _now = s_now;

    private CookieJar Jar() => new(() => _now);

    [Fact]
    public void AHostOnlyCookieGoesBackToItsHostOnly()
    {
        var jar = Jar();
        jar.Store(new Uri("http://example.org/"), ["a=1"]);
        Assert.Equal("a=1", jar.CookieHeaderFor(new Uri("http://example.org/x")));
        Assert.Null(jar.CookieHeaderFor(new Uri("http://sub.example.org/x")));
    }

    [Fact]
    public void ADomainCookieGoesToSubdomainsAndAForeignDomainIsRefused()
    {
        var jar = Jar();
        jar.Store(new Uri("http://www.example.org/"), ["a=1; Domain=.Example.org", "b=2; Domain=other.org"]);
        Assert.Equal("a=1", jar.CookieHeaderFor(new Uri("http://api.example.org/")));
        Assert.Single(jar.Cookies);
    }

    [Fact]
    public void PathsMatchOnSegmentsAndLongerPathsComeFirst()
    {
        var jar = Jar();
        jar.Store(new Uri("http://example.org/docs/page"), ["d=default", "r=root; Path=/", "x=deep; Path=/docs/api"]);
        Assert.Equal("d=default; r=root", jar.CookieHeaderFor(new Uri("http://example.org/docs/other")));
        Assert.Equal("x=deep; d=default; r=root", jar.CookieHeaderFor(new Uri("http://example.org/docs/api/v1")));
        Assert.Equal("r=root", jar.CookieHeaderFor(new Uri("http://example.org/docsx")));
    }

    [Fact]
    public void MaxAgeWinsOverExpiresAndExpiryRemovesTheCookie()
    {
        var jar = Jar();
        jar.Store(new Uri("http://example.org/"), ["a=1; Max-Age=60; Expires=Wed, 01 Jan 2020 00:00:00 GMT", "b=2; Expires=Thu, 01 Jan 2026 00:02:00 GMT"]);
        Assert.Equal("a=1; b=2", jar.CookieHeaderFor(new Uri("http://example.org/")));
        _now = s_now.AddSeconds(61);
        Assert.Equal("b=2", jar.CookieHeaderFor(new Uri("http://example.org/")));
        _now = s_now.AddSeconds(121);
        Assert.Null(jar.CookieHeaderFor(new Uri("http://example.org/")));
    }

    [Fact]
    public void ASecondCookieReplacesTheFirstAndAPastDateDeletesIt()
    {
        var jar = Jar();
        jar.Store(new Uri("http://example.org/"), ["a=1"]);
        jar.Store(new Uri("http://example.org/"), ["a=2"]);
        Assert.Equal("a=2", jar.CookieHeaderFor(new Uri("http://example.org/")));
        jar.Store(new Uri("http://example.org/"), ["a=gone; Max-Age=0"]);
        Assert.Null(jar.CookieHeaderFor(new Uri("http://example.org/")));
    }

    [Fact]
    public void SecureCookiesGoOverHttpsOnly()
    {
        var jar = Jar();
        jar.Store(new Uri("https://example.org/"), ["s=1; Secure"]);
        Assert.Null(jar.CookieHeaderFor(new Uri("http://example.org/")));
        Assert.Equal("s=1", jar.CookieHeaderFor(new Uri("https://example.org/")));
    }

    [Theory]
    [InlineData("novalue")]
    [InlineData("=x")]
    [InlineData("a b=1")]
    [InlineData("a=1\u0001")]
    [InlineData("")]
    [InlineData(";;;")]
    public void MalformedSetCookieValuesAreIgnored(string field)
    {
        var jar = Jar();
        jar.Store(new Uri("http://example.org/"), [field]);
        Assert.Empty(jar.Cookies);
    }

    [Fact]
    public void RandomSetCookieValuesNeverThrow()
    {
        var random = new Random(1234);
        var jar = Jar();
        const string alphabet = "ab=;, \t/.-:Domain Path Max-Age Expires Secure 0123456789\u00e9\u0001";
        for (int i = 0; i < 5000; i++)
        {
            var field = new string(Enumerable.Range(0, random.Next(0, 60)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            jar.Store(new Uri("http://www.example.org/a/b"), [field]);
            _ = jar.CookieHeaderFor(new Uri("http://www.example.org/a/b"));
        }
    }

    [Fact]
    public void AnIpHostMatchesOnlyItself()
    {
        var jar = Jar();
        jar.Store(new Uri("http://127.0.0.1/"), ["a=1; Domain=0.0.1"]);
        Assert.Empty(jar.Cookies);
        jar.Store(new Uri("http://127.0.0.1/"), ["b=2; Domain=127.0.0.1"]);
        Assert.Equal("b=2", jar.CookieHeaderFor(new Uri("http://127.0.0.1/")));
    }
}
