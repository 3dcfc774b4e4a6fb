using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Twine.Net.Tls;

/// <summary>
/// How a TLS client checks the server and presents itself: the host name (sent as SNI and checked against the
/// certificate), the roots it trusts (the operating system's store by default, or <see cref="TrustRoots"/>), an
/// optional client certificate, ALPN protocols, and the protocol versions (TLS 1.2 and 1.3 by default).
/// </summary>
/// <example>
/// <code>
/// var options = new TlsClientOptions { HostName = "localhost", TrustRoots = TlsClientOptions.LoadTrustRoots("ca.pem") };
/// options.ApplicationProtocols.Add("http/1.1");
/// var endpoint = new TlsClientEndpoint(new Tcp4ClientEndpoint(reactor, "127.0.0.1", 8443), options);
/// </code>
/// </example>
public sealed class TlsClientOptions
{
    /// <summary>The server's name: sent as SNI and required in its certificate. Client endpoints fill it from their host when null.</summary>
    public string? HostName { get; set; }

    /// <summary>The CA certificates the server's chain must end in; null trusts the operating system's store.</summary>
    public X509Certificate2Collection? TrustRoots { get; set; }

    /// <summary>A certificate (with its private key) to present when the server asks for one.</summary>
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>ALPN protocol names to offer, in order of preference. Empty: no ALPN.</summary>
    public IList<string> ApplicationProtocols { get; } = new List<string>();

    /// <summary>The protocol versions offered. TLS 1.2 and 1.3 by default.</summary>
    public SslProtocols Protocols { get; set; } = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>
    /// Whether the server's certificate and host name are checked. True by default; false accepts any server and is
    /// only for development (<c>curl -k</c>).
    /// </summary>
    public bool VerifyCertificate { get; set; } = true;

    /// <summary>Reads CA certificates from a PEM file, or from the *.pem and *.crt files of a directory.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">No PEM certificate could be read.</exception>
    public static X509Certificate2Collection LoadTrustRoots(string path) => PemFiles.LoadCertificates(path);

    /// <summary>The options for one handshake.</summary>
    /// <exception cref="InvalidOperationException"><see cref="HostName"/> is not set while the certificate is verified.</exception>
    internal SslClientAuthenticationOptions Build(PeerCertificateCheck check)
    {
        if (HostName is null && VerifyCertificate)
            throw new InvalidOperationException("TlsClientOptions.HostName must be set to verify the server's certificate (or set VerifyCertificate = false).");
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = HostName ?? "",
            EnabledSslProtocols = Protocols,
            RemoteCertificateValidationCallback = check.Validate,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CertificateChainPolicy = ChainPolicy(TrustRoots),
        };
        if (ClientCertificate is not null)
            options.ClientCertificateContext = SslStreamCertificateContext.Create(ClientCertificate, null, offline: true);
        if (ApplicationProtocols.Count > 0) options.ApplicationProtocols = Alpn(ApplicationProtocols);
        return options;
    }

    /// <summary>
    /// The chain policy: the given roots (or the system's), no revocation check, and no downloads — fetching a missing
    /// intermediate is a blocking HTTP request inside the handshake, which would stall the reactor thread.
    /// </summary>
    internal static X509ChainPolicy ChainPolicy(X509Certificate2Collection? roots)
    {
        var policy = new X509ChainPolicy
        {
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        if (roots is not null)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(roots);
        }
        return policy;
    }

    internal static List<SslApplicationProtocol> Alpn(IEnumerable<string> names) => names.Select(n => new SslApplicationProtocol(n)).ToList();
}
