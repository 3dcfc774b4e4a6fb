using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Twine.Net.Tls;

/// <summary>
/// One connection's check of the peer's certificate: runs as <see cref="SslStream"/>'s validation callback, remembers
/// what was wrong, and turns a rejection into the specific <see cref="TlsCertificateException"/>.
/// </summary>
/// <remarks>The platform only says "the remote certificate is invalid"; the callback is where the reason is known.</remarks>
internal sealed class PeerCertificateCheck
{
    private readonly string _peer;
    private readonly bool _verify;
    private readonly bool _certificateOptional;

    public PeerCertificateCheck(string peer, bool verify, bool certificateOptional)
    {
        _peer = peer;
        _verify = verify;
        _certificateOptional = certificateOptional;
    }

    /// <summary>True once the callback refused the certificate.</summary>
    public bool Rejected { get; private set; }

    public SslPolicyErrors Errors { get; private set; }

    public X509ChainStatusFlags ChainStatus { get; private set; }

    /// <summary>The <see cref="RemoteCertificateValidationCallback"/>.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var status = X509ChainStatusFlags.NoError;
        if (chain is not null)
        {
            foreach (var element in chain.ChainStatus) status |= element.Status;
        }
        Errors = errors;
        ChainStatus = status;
        if (!_verify) return true;
        if (errors == SslPolicyErrors.RemoteCertificateNotAvailable && _certificateOptional) return true;
        Rejected = errors != SslPolicyErrors.None;
        return !Rejected;
    }

    /// <summary>The exception for the rejection, wrapping the platform's <paramref name="inner"/>.</summary>
    public TlsCertificateException ToException(Exception inner)
    {
        var e = Errors;
        var s = ChainStatus;
        if ((e & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
            return new TlsCertificateException($"The peer {_peer} presented no certificate, and one is required.", e, s, inner);
        if ((s & (X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested)) != 0)
            return new TlsCertificateExpiredException($"The certificate of {_peer} is expired or not yet valid ({s}).", e, s, inner);
        if ((e & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            return new TlsUntrustedCertificateException($"The certificate of {_peer} is not trusted: {Describe(s)}.", e, s, inner);
        if ((e & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            return new TlsHostNameMismatchException($"The certificate presented by the server does not match the host name {_peer}.", e, s, inner);
        return new TlsCertificateException($"The certificate of {_peer} was rejected ({e}).", e, s, inner);
    }

    private static string Describe(X509ChainStatusFlags s) =>
        s == X509ChainStatusFlags.NoError ? "its chain could not be built" : $"chain status {s}";
}
