using System.Net.Sockets;
using System.Text;
using Twine.Net.Endpoints;

namespace Twine.Web.Tests;

/// <summary>The server is a protocol on Twine's transports, so it runs on any stream endpoint: here a Unix socket.</summary>
public class UnixSocketTests
{
    [Fact]
    public void ServesOverAUnixSocket()
    {
        var path = Path.Combine(Path.GetTempPath(), $"twine-web-{Guid.NewGuid():N}.sock");
        try
        {
            var root = new DelegateResource(r => "over unix " + r.Path);
            var wire = LoopbackServer.Run(
                reactor => Endpoints.Server(reactor, $"unix:{path}").Listen(new Site(root, reactor) { LogRequests = false }),
                _ =>
                {
                    using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    socket.ReceiveTimeout = 30_000;
                    socket.Connect(new UnixDomainSocketEndPoint(path));
                    socket.Send(Encoding.ASCII.GetBytes("GET /u HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
                    var received = new MemoryStream();
                    var buffer = new byte[4096];
                    int n;
                    while ((n = socket.Receive(buffer)) > 0) received.Write(buffer, 0, n);
                    return received.ToArray();
                });
            var response = Assert.Single(WireResponse.ParseAll(wire, ["GET"]));
            Assert.Equal("over unix /u", response.BodyText);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
