using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Twine.Net.Tls;

/// <summary>
/// How a TLS server presents itself: its certificate and key (from PEM files or an <see cref="X509Certificate2"/>),
/// a certificate per host name for SNI, the ALPN protocols it speaks, whether it asks for client certificates, and the
/// protocol versions (TLS 1.2 and 1.3 by default). One instance serves every connection of a port.
/// </summary>
/// <example>
/// <code>
/// var options = TlsServerOptions.FromPemFiles("cert.pem", "key.pem");
/// options.AddHost("api.example.org", X509Certificate2.CreateFromPemFile("api.pem", "api-key.pem"));
/// options.ApplicationProtocols.Add("http/1.1");
/// reactor.ListenTcp(8443, TlsFactory.ForServer(options, Factory.ForProtocol&lt;Echo&gt;()));
/// </code>
/// </example>
public sealed class TlsServerOptions
{
    private readonly Dictionary<string, SslStreamCertificateContext> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly X509Certificate2 _certificate;
    private readonly X509Certificate2Collection? _chain;
    private SslStreamCertificateContext? _context;

    /// <summary>Uses <paramref name="certificate"/>, which must have its private key, for every host name not added with <see cref="AddHost"/>.</summary>
    /// <param name="certificate">The server's certificate with its private key.</param>
    /// <param name="chain">Intermediate certificates to send along with it, if any.</param>
    /// <exception cref="ArgumentException">The certificate has no private key.</exception>
    public TlsServerOptions(X509Certificate2 certificate, X509Certificate2Collection? chain = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        RequireKey(certificate);
        _certificate = certificate;
        _chain = chain;
    }

    /// <summary>
    /// Loads the certificate from <paramref name="certificatePath"/> and its key from <paramref name="privateKeyPath"/>
    /// (or from the certificate file itself when null: one PEM file holding both, as Twisted's <c>privateKey=</c> alone).
    /// </summary>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="ArgumentException">A file does not hold a PEM certificate or a matching key.</exception>
    public static TlsServerOptions FromPemFiles(string certificatePath, string? privateKeyPath = null, string? chainPath = null) =>
        new(PemFiles.LoadCertificateWithKey(certificatePath, privateKeyPath), chainPath is null ? null : PemFiles.LoadCertificates(chainPath));

    /// <summary>The certificate for host names without their own.</summary>
    public X509Certificate2 Certificate => _certificate;

    /// <summary>ALPN protocol names the server accepts, in its order of preference (for example <c>h2</c>, <c>http/1.1</c>). Empty: no ALPN.</summary>
    public IList<string> ApplicationProtocols { get; } = new List<string>();

    /// <summary>Whether clients are asked for a certificate. <see cref="ClientCertificateMode.None"/> by default.</summary>
    public ClientCertificateMode ClientCertificates { get; set; }

    /// <summary>The CA certificates client certificates must chain to; null trusts the operating system's store.</summary>
    public X509Certificate2Collection? ClientTrustRoots { get; set; }

    /// <summary>The protocol versions offered. TLS 1.2 and 1.3 by default; older versions are insecure.</summary>
    public SslProtocols Protocols { get; set; } = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>Whether clients may resume earlier sessions (tickets / session ids). On by default.</summary>
    public bool AllowSessionResumption { get; set; } = true;

    /// <summary>Serves <paramref name="certificate"/> to clients that ask for <paramref name="hostName"/> through SNI.</summary>
    /// <exception cref="ArgumentException">The certificate has no private key.</exception>
    public void AddHost(string hostName, X509Certificate2 certificate, X509Certificate2Collection? chain = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostName);
        ArgumentNullException.ThrowIfNull(certificate);
        RequireKey(certificate);
        lock (_hosts) _hosts[hostName] = Context(certificate, chain);
    }

    /// <summary>The options for one handshake, for the host name the client asked for (null: none sent).</summary>
    internal SslServerAuthenticationOptions Build(string? serverName, PeerCertificateCheck check)
    {
        SslStreamCertificateContext? context = null;
        if (serverName is not null)
        {
            lock (_hosts) _hosts.TryGetValue(serverName, out context);
        }
        context ??= _context ??= Context(_certificate, _chain);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = context,
            EnabledSslProtocols = Protocols,
            ClientCertificateRequired = ClientCertificates != ClientCertificateMode.None,
            RemoteCertificateValidationCallback = check.Validate,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CertificateChainPolicy = TlsClientOptions.ChainPolicy(ClientTrustRoots),
            AllowTlsResume = AllowSessionResumption,
        };
        if (ApplicationProtocols.Count > 0) options.ApplicationProtocols = TlsClientOptions.Alpn(ApplicationProtocols);
        return options;
    }

    // offline: building the chain must never fetch missing intermediates over the network on the reactor thread.
    private static SslStreamCertificateContext Context(X509Certificate2 certificate, X509Certificate2Collection? chain) =>
        SslStreamCertificateContext.Create(certificate, chain, offline: true);

    private static void RequireKey(X509Certificate2 certificate)
    {
        if (!certificate.HasPrivateKey)
            throw new ArgumentException($"The server certificate '{certificate.Subject}' has no private key.", nameof(certificate));
    }
}
