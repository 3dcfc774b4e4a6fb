namespace Twine.Net.Tls;

/// <summary>Whether a TLS server asks connecting clients for a certificate.</summary>
/// <example><code>new TlsServerOptions(cert) { ClientCertificates = ClientCertificateMode.Required, ClientTrustRoots = roots }</code></example>
public enum ClientCertificateMode
{
    /// <summary>No certificate is asked for (the default, as on the web).</summary>
    None,

    /// <summary>A certificate is asked for; a client without one is accepted, one with an untrusted one is refused.</summary>
    Optional,

    /// <summary>A trusted certificate is required; a client without one is refused.</summary>
    Required,
}
