using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Twine.Defer;
using Twine.Net.Endpoints;
using Twine.Net.Tls;
using Twine.Web.Tests.Client;
using Twine.Web.WebSockets;

namespace Twine.Web.Tests.WebSockets;

/// <summary>WS1 over TLS: a wss:// URL connects through TLS, the server's certificate checked against the client's trust roots.</summary>
public sealed class WssTests
{
    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }

    private sealed class Echo : WebSocketServerProtocol
    {
        public override Deferred? OnMessage(byte[] payload, bool isBinary)
        {
            SendMessage(payload, isBinary);
            return null;
        }
    }

    /// <summary>Sends one text message when open, records the echo, then closes cleanly.</summary>
    private sealed class Hello(Deferred<string> done) : WebSocketClientProtocol
    {
        private string? _echo;

        public override Deferred? OnOpen()
        {
            SendMessage("hello over TLS");
            return null;
        }

        public override Deferred? OnMessage(byte[] payload, bool isBinary)
        {
            _echo = Encoding.UTF8.GetString(payload);
            SendClose();
            return null;
        }

        public override void OnClose(bool wasClean, int code, string? reason) => done.Callback($"{_echo} | clean={wasClean} code={code}");
    }

    private static string Exchange(X509Certificate2 serverCert, X509Certificate2Collection trusted) => ClientLoopback.Run(async loop =>
    {
        var tcp = new Tcp4ServerEndpoint(loop.Reactor, 0, interfaceAddress: "127.0.0.1");
        var port = await new TlsServerEndpoint(tcp, new TlsServerOptions(serverCert)).Listen(new WebSocketServerFactory(loop.Reactor, () => new Echo()));
        try
        {
            var done = new Deferred<string>();
            var url = $"wss://127.0.0.1:{((IPEndPoint)port.Host).Port}/echo";
            try
            {
                await WebSocket.Connect(loop.Reactor, new WebSocketClientFactory(loop.Reactor, url, () => new Hello(done)),
                    new TlsClientOptions { HostName = "127.0.0.1", TrustRoots = trusted });
            }
            catch (Exception e)
            {
                return "connect failed: " + e.GetType().Name;
            }
            return await done;
        }
        finally
        {
            await port.StopListening();
        }
    });

    [Fact]
    public void AWssUrlTalksThroughTls()
    {
        using var cert = SelfSigned();
        Assert.Equal("hello over TLS | clean=True code=1000", Exchange(cert, [cert]));
    }

    [Fact]
    public void AWssServerWithAnUntrustedCertificateIsRefused()
    {
        using var cert = SelfSigned();
        using var other = SelfSigned();
        Assert.StartsWith("connect failed: ", Exchange(cert, [other]));
    }
}
