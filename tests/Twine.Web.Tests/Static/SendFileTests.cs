using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Twine.Net.Endpoints;
using Twine.Net.Tls;

namespace Twine.Web.Tests.Static;

/// <summary>
/// Static files over real sockets, where the body goes out with sendfile: exact ranges, order with the other
/// responses on a pipelined connection, memory that does not grow with the file, and the TLS path (no sendfile) intact (WEB15).
/// </summary>
public sealed class SendFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("twine-sendfile-").FullName;
    private readonly byte[] _content;

    public SendFileTests()
    {
        _content = new byte[1_000_003];
        new Random(11).NextBytes(_content);
        System.IO.File.WriteAllBytes(Path.Combine(_dir, "data.bin"), _content);
        System.IO.File.WriteAllText(Path.Combine(_dir, "small.txt"), "small file");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Site NewSite(Twine.Time.IReactorTime time, bool useSendFile = true)
    {
        var root = new Resource();
        root.PutChild("files", new Twine.Web.Static.File(_dir) { UseSendFile = useSendFile });
        root.PutChild("dyn", new DelegateResource(r => "dynamic " + r.Method));
        return new Site(root, time) { LogRequests = false };
    }

    private const string Pipeline =
        "GET /files/data.bin HTTP/1.1\r\nHost: a\r\nRange: bytes=100-199999\r\n\r\n" +
        "GET /dyn HTTP/1.1\r\nHost: a\r\n\r\n" +
        "GET /files/data.bin HTTP/1.1\r\nHost: a\r\n\r\n" +
        "HEAD /files/data.bin HTTP/1.1\r\nHost: a\r\n\r\n" +
        "GET /files/data.bin HTTP/1.1\r\nHost: a\r\nRange: bytes=-7\r\n\r\n" +
        "GET /files/small.txt HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";

    private void AssertPipelineAnswers(byte[] wire)
    {
        var rs = WireResponse.ParseAll(wire, ["GET", "GET", "GET", "HEAD", "GET", "GET"]);
        Assert.Equal(6, rs.Count);
        Assert.Equal(206, rs[0].Code);
        Assert.Equal("bytes 100-199999/1000003", rs[0].Header("Content-Range"));
        Assert.Equal(_content.AsSpan(100, 199_900).ToArray(), rs[0].Body);
        Assert.Equal("dynamic GET", rs[1].BodyText);
        Assert.Equal(200, rs[2].Code);
        Assert.Equal(_content, rs[2].Body);
        Assert.Equal("1000003", rs[3].Header("Content-Length"));
        Assert.Empty(rs[3].Body);
        Assert.Equal(_content.AsSpan(_content.Length - 7).ToArray(), rs[4].Body);
        Assert.Equal("small file", rs[5].BodyText);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void PipelinedFileResponsesAreExactAndInOrderOverTcp(bool useSendFile)
    {
        var wire = LoopbackServer.Run(
            reactor => Endpoints.Server(reactor, "tcp:0:interface=127.0.0.1").Listen(NewSite(reactor, useSendFile)),
            port => LoopbackServer.Exchange(port, Encoding.ASCII.GetBytes(Pipeline)));
        AssertPipelineAnswers(wire);
    }

    [Fact]
    public void PipelinedFileResponsesAreExactAndInOrderOverAUnixSocket()
    {
        var path = Path.Combine(Path.GetTempPath(), $"twine-sendfile-{Guid.NewGuid():N}.sock");
        try
        {
            var wire = LoopbackServer.Run(
                reactor => Endpoints.Server(reactor, $"unix:{path}").Listen(NewSite(reactor)),
                _ =>
                {
                    using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    socket.ReceiveTimeout = 30_000;
                    socket.Connect(new UnixDomainSocketEndPoint(path));
                    socket.Send(Encoding.ASCII.GetBytes(Pipeline));
                    using var stream = new NetworkStream(socket);
                    var received = new MemoryStream();
                    stream.CopyTo(received);
                    return received.ToArray();
                });
            AssertPipelineAnswers(wire);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Fact]
    public void AHugeFileCostsTheServerNoMoreMemoryThanASmallOne()
    {
        // 256 MiB, sparse (no disk used): read through the process in 64 KiB chunks it would be 256 MiB of buffers.
        const long size = 256L * 1024 * 1024;
        using (var big = new FileStream(Path.Combine(_dir, "huge.bin"), FileMode.Create)) big.SetLength(size);
        long before = GC.GetAllocatedBytesForCurrentThread();      // the reactor runs on this thread
        var (received, head) = LoopbackServer.Run(
            reactor => Endpoints.Server(reactor, "tcp:0:interface=127.0.0.1").Listen(NewSite(reactor)),
            port =>
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.ReceiveTimeout = 30_000;
                socket.Connect(IPAddress.Loopback, port);
                socket.Send("GET /files/huge.bin HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"u8);
                var buffer = new byte[256 * 1024];
                long total = 0;
                bool nonZero = false;
                var headText = new StringBuilder();
                int n;
                while ((n = socket.Receive(buffer)) > 0)
                {
                    var chunk = buffer.AsSpan(0, n);
                    if (headText.Length == 0 || !headText.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        int end = chunk.IndexOf("\r\n\r\n"u8);
                        headText.Append(Encoding.ASCII.GetString(end < 0 ? chunk : chunk[..(end + 4)]));
                        if (end < 0) continue;
                        chunk = chunk[(end + 4)..];
                    }
                    total += chunk.Length;
                    nonZero |= chunk.ContainsAnyExcept((byte)0);
                }
                Assert.False(nonZero);
                return (total, headText.ToString());
            });
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("Content-Length: 268435456\r\n", head);
        Assert.Equal(size, received);
        Assert.True(allocated < 8 * 1024 * 1024, $"The server thread allocated {allocated} bytes to send a {size}-byte file.");
    }

    [Fact]
    public void OverTlsTheFileIsReadAndEncryptedAndStillExact()
    {
        using var cert = SelfSigned();
        var wire = LoopbackServer.Run(
            reactor => new TlsServerEndpoint(new Tcp4ServerEndpoint(reactor, 0, interfaceAddress: "127.0.0.1"), new TlsServerOptions(cert))
                .Listen(NewSite(reactor)),
            port =>
            {
                using var tcp = new TcpClient();
                tcp.Connect(IPAddress.Loopback, port);
                using var ssl = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
                ssl.AuthenticateAsClient("127.0.0.1");
                ssl.Write(Encoding.ASCII.GetBytes(Pipeline));
                var received = new MemoryStream();
                try
                {
                    ssl.CopyTo(received);
                }
                catch (IOException)
                {
                    // Some peers end without close_notify; what matters is what arrived.
                }
                return received.ToArray();
            });
        AssertPipelineAnswers(wire);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }
}
