using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Twine.Net.Endpoints;
using Twine.Net.Tls;
using Twine.Web.Client;

namespace Twine.Web.Tests.Client;

/// <summary>The scheme picks the endpoint: an https URL goes through TLS, with the server's certificate checked.</summary>
public sealed class HttpsTests
{
    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Round-trip through PKCS#12 so the private key is usable by SslStream.
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }

    private static Exception? Fetch(X509Certificate2 serverCert, X509Certificate2Collection trusted, out string? page)
    {
        string? result = null;
        var error = ClientLoopback.Run(async loop =>
        {
            var root = new Resource();
            root.PutChild("secret", new DelegateResource(_ => "over TLS"));
            var tcp = new Tcp4ServerEndpoint(loop.Reactor, 0, interfaceAddress: "127.0.0.1");
            var port = await new TlsServerEndpoint(tcp, new TlsServerOptions(serverCert)).Listen(new Site(root, loop.Reactor) { LogRequests = false });
            try
            {
                var agent = new Agent(loop.Reactor, tlsOptions: host => new TlsClientOptions { HostName = host, TrustRoots = trusted });
                result = Encoding.UTF8.GetString(await agent.GetPage($"https://127.0.0.1:{((IPEndPoint)port.Host).Port}/secret"));
                return (Exception?)null;
            }
            catch (Exception e)
            {
                return e;
            }
            finally
            {
                await port.StopListening();
            }
        });
        page = result;
        return error;
    }

    [Fact]
    public void AnHttpsUrlIsFetchedOverTls()
    {
        using var cert = SelfSigned();
        var error = Fetch(cert, [cert], out var page);
        Assert.Null(error);
        Assert.Equal("over TLS", page);
    }

    [Fact]
    public void AnUntrustedCertificateFailsTheRequest()
    {
        using var cert = SelfSigned();
        using var other = SelfSigned();
        var error = Fetch(cert, [other], out var page);
        Assert.Null(page);
        // The handshake fails, the connection closes before any response: no response was received.
        Assert.IsType<ResponseNeverReceivedException>(error);
        Assert.IsAssignableFrom<TlsException>(error!.InnerException);
    }
}
