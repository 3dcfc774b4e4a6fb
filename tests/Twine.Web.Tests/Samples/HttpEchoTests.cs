using System.Text;

namespace Twine.Web.Tests.Samples;

/// <summary>samples/HttpEcho over real loopback sockets: exactly the routes external test tools rely on.</summary>
public class HttpEchoTests
{
    [Fact]
    public void ServesItsRoutes()
    {
        var request =
            "GET / HTTP/1.1\r\nHost: t\r\n\r\n" +
            "HEAD / HTTP/1.1\r\nHost: t\r\n\r\n" +
            "OPTIONS / HTTP/1.1\r\nHost: t\r\n\r\n" +
            "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\nhello there" +
            "PUT /echo HTTP/1.1\r\nHost: t\r\nX-One: 1\r\nContent-Length: 0\r\n\r\n" +
            "DELETE /cookie HTTP/1.1\r\nHost: t\r\nCookie: a=1; b=two\r\n\r\n" +
            "DELETE / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
        var wire = LoopbackServer.Run(r => HttpEcho.Program.Listen(r, "tcp:0:interface=127.0.0.1"),
            port => LoopbackServer.Exchange(port, Encoding.ASCII.GetBytes(request)));
        var rs = WireResponse.ParseAll(wire, ["GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "DELETE"]);
        Assert.Equal(7, rs.Count);

        Assert.Equal(200, rs[0].Code);
        Assert.Equal("text/plain", rs[0].Header("Content-Type"));
        Assert.Equal("OK", rs[0].BodyText);

        Assert.Equal(200, rs[1].Code);
        Assert.Equal("2", rs[1].Header("Content-Length"));

        Assert.Equal(200, rs[2].Code);
        Assert.Equal("GET, HEAD, POST, OPTIONS", rs[2].Header("Allow"));

        Assert.Equal("hello there", rs[3].BodyText);

        Assert.Equal("Host: t\nX-One: 1\nContent-Length: 0\n", rs[4].BodyText);

        Assert.Equal("a=1\nb=two\n", rs[5].BodyText);

        Assert.Equal(405, rs[6].Code);
        Assert.Equal("GET, HEAD, POST, OPTIONS", rs[6].Header("Allow"));
    }
}
