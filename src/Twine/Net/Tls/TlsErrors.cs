using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Twine.Net.Tls;

/// <summary>
/// TLS failed on one connection: the base of Twine's TLS errors. It is a <see cref="ConnectionLostException"/>, so code
/// that only tells clean closes from unclean ones keeps working; the connection it names is the only one closed.
/// </summary>
/// <example>
/// <code>
/// public override void ConnectionLost(Failure reason)
/// {
///     if (reason.Check&lt;TlsException&gt;()) Console.WriteLine($"TLS failed: {reason.GetErrorMessage()}");
/// }
/// </code>
/// </example>
public class TlsException : ConnectionLostException
{
    /// <summary>Creates the exception with a message and the platform's error, if any.</summary>
    public TlsException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>The TLS handshake failed: the peer sent an alert, offered nothing in common, or broke off.</summary>
/// <example><code>if (reason.Check&lt;TlsHandshakeException&gt;()) { /* no session was established */ }</code></example>
public class TlsHandshakeException : TlsException
{
    /// <summary>Creates the exception with a message and the platform's error, if any.</summary>
    public TlsHandshakeException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>The two sides have no TLS protocol version in common (for example TLS 1.2 only against TLS 1.3 only).</summary>
/// <example><code>new TlsClientOptions { Protocols = SslProtocols.Tls12 }   // fails against a TLS 1.3-only server</code></example>
public sealed class TlsProtocolVersionException : TlsHandshakeException
{
    /// <summary>Creates the exception with a message and the platform's error.</summary>
    public TlsProtocolVersionException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>
/// The peer's certificate was rejected (or missing when one was required). <see cref="PolicyErrors"/> and
/// <see cref="ChainStatus"/> say why; the subclasses name the common cases.
/// </summary>
/// <example><code>if (reason.Value is TlsCertificateException e) Console.WriteLine(e.PolicyErrors);</code></example>
public class TlsCertificateException : TlsHandshakeException
{
    /// <summary>Creates the exception.</summary>
    public TlsCertificateException(string message, SslPolicyErrors policyErrors, X509ChainStatusFlags chainStatus, Exception? inner = null)
        : base(message, inner)
    {
        PolicyErrors = policyErrors;
        ChainStatus = chainStatus;
    }

    /// <summary>What the platform's check reported.</summary>
    public SslPolicyErrors PolicyErrors { get; }

    /// <summary>The problems found in the certificate chain, if it was built.</summary>
    public X509ChainStatusFlags ChainStatus { get; }
}

/// <summary>The peer's certificate is valid but does not name the host that was asked for.</summary>
/// <example><code>// tls:host=wrong.example:port=443 against a certificate for example.org</code></example>
public sealed class TlsHostNameMismatchException : TlsCertificateException
{
    /// <summary>Creates the exception.</summary>
    public TlsHostNameMismatchException(string message, SslPolicyErrors policyErrors, X509ChainStatusFlags chainStatus, Exception? inner = null)
        : base(message, policyErrors, chainStatus, inner) { }
}

/// <summary>The peer's certificate does not chain to a trusted root (self-signed, unknown CA, wrong trustRoots).</summary>
/// <example><code>new TlsClientOptions { TrustRoots = TlsClientOptions.LoadTrustRoots("ca.pem") }   // trust a private CA</code></example>
public sealed class TlsUntrustedCertificateException : TlsCertificateException
{
    /// <summary>Creates the exception.</summary>
    public TlsUntrustedCertificateException(string message, SslPolicyErrors policyErrors, X509ChainStatusFlags chainStatus, Exception? inner = null)
        : base(message, policyErrors, chainStatus, inner) { }
}

/// <summary>The peer's certificate (or one in its chain) is expired or not yet valid.</summary>
/// <example><code>if (reason.Check&lt;TlsCertificateExpiredException&gt;()) Console.WriteLine("renew the certificate");</code></example>
public sealed class TlsCertificateExpiredException : TlsCertificateException
{
    /// <summary>Creates the exception.</summary>
    public TlsCertificateExpiredException(string message, SslPolicyErrors policyErrors, X509ChainStatusFlags chainStatus, Exception? inner = null)
        : base(message, policyErrors, chainStatus, inner) { }
}

/// <summary>
/// The peer sent bytes that are not TLS: plaintext, random bytes, or a corrupted record. Only that connection is
/// closed.
/// </summary>
/// <example><code>// "GET / HTTP/1.1" sent to an ssl: port ends that connection with TlsProtocolException</code></example>
public sealed class TlsProtocolException : TlsException
{
    /// <summary>Creates the exception with a message and the platform's error.</summary>
    public TlsProtocolException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>
/// The connection ended without the peer's close_notify alert, or in the middle of a record: the data may have been cut
/// short by an attacker or a crash, so it is not reported as a clean close.
/// </summary>
/// <example><code>if (reason.Check&lt;TlsTruncatedException&gt;()) { /* do not trust that the response was complete */ }</code></example>
public sealed class TlsTruncatedException : TlsException
{
    /// <summary>Creates the exception with a message and the platform's error, if any.</summary>
    public TlsTruncatedException(string message, Exception? inner = null) : base(message, inner) { }
}
