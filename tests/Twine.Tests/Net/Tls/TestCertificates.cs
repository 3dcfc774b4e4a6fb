using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Twine.Tests.Net.Tls;

/// <summary>
/// Certificates made at test time (no key is ever committed): a CA, leaves it signs for any host name and validity
/// window, and PEM files for peers that read files (Twisted, openssl, curl).
/// </summary>
internal static class TestCertificates
{
    private static readonly Lazy<X509Certificate2> s_ca = new(() => CreateCa("Twine Test CA"));
    private static readonly Lazy<X509Certificate2> s_otherCa = new(() => CreateCa("Someone Else's CA"));
    private static readonly Lazy<X509Certificate2> s_localhost = new(() => Leaf("localhost"));
    private static readonly Lazy<X509Certificate2> s_client = new(() => Leaf("twine-client", clientAuth: true));

    /// <summary>The CA that signs the test leaves.</summary>
    public static X509Certificate2 Ca => s_ca.Value;

    /// <summary>A CA nobody trusts.</summary>
    public static X509Certificate2 OtherCa => s_otherCa.Value;

    /// <summary>A server certificate for localhost and 127.0.0.1, signed by <see cref="Ca"/>.</summary>
    public static X509Certificate2 Localhost => s_localhost.Value;

    /// <summary>A client certificate signed by <see cref="Ca"/>.</summary>
    public static X509Certificate2 ClientCertificate => s_client.Value;

    /// <summary>Just <see cref="Ca"/>, as trust roots.</summary>
    public static X509Certificate2Collection Roots => [X509CertificateLoader.LoadCertificate(Ca.RawData)];

    public static X509Certificate2 CreateCa(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-365), now.AddYears(1));
    }

    /// <summary>A leaf for <paramref name="host"/> signed by <paramref name="issuer"/> (default <see cref="Ca"/>).</summary>
    public static X509Certificate2 Leaf(string host, X509Certificate2? issuer = null, DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null, bool clientAuth = false)
    {
        issuer ??= Ca;
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(clientAuth ? "1.3.6.1.5.5.7.3.2" : "1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(host);
        if (host == "localhost") san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using var signed = request.Create(issuer, notBefore ?? now.AddDays(-1), notAfter ?? now.AddDays(30), serial);
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>Writes <paramref name="certificate"/> and its key as PEM files in <paramref name="directory"/>; returns their paths.</summary>
    public static (string Cert, string Key) WritePem(X509Certificate2 certificate, string directory, string name)
    {
        Directory.CreateDirectory(directory);
        var cert = Path.Combine(directory, name + ".crt.pem");
        var key = Path.Combine(directory, name + ".key.pem");
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        using var ecdsa = certificate.GetECDsaPrivateKey();
        if (ecdsa is not null) File.WriteAllText(key, ecdsa.ExportPkcs8PrivateKeyPem());
        return (cert, key);
    }

    /// <summary>Writes <see cref="Ca"/>'s certificate (no key) as a PEM file; returns its path.</summary>
    public static string WriteCaPem(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "ca.pem");
        File.WriteAllText(path, Ca.ExportCertificatePem());
        return path;
    }


    /// <summary>A temporary directory holding the localhost certificate and key and the CA as PEM files, removed on dispose.</summary>
    internal sealed class PemFiles : IDisposable
    {
        public PemFiles(string prefix)
        {
            Directory = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
            (Cert, Key) = WritePem(Localhost, Directory, "localhost");
            Ca = WriteCaPem(Directory);
        }

        public string Directory { get; }
        public string Cert { get; }
        public string Key { get; }
        public string Ca { get; }

        public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
    }
}
