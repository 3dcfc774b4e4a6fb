using System.CommandLine;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Twine.Cli;

/// <summary>
/// <c>twine cert --host localhost -o DIR</c>: makes a self-signed certificate and its private key for development
/// (ECDSA P-256, valid 90 days, the host as subject alternative name) and writes <c>DIR/cert.pem</c> and
/// <c>DIR/key.pem</c>, ready for <c>ssl:8443:privateKey=DIR/key.pem:certKey=DIR/cert.pem</c>. Clients trust it with
/// <c>trustRoots=DIR/cert.pem</c> (or <c>curl --cacert</c>).
/// </summary>
internal static class CertCommand
{
    public static Command Create()
    {
        var host = new Option<string>("--host")
        {
            Description = "The host name (or IP address) the certificate is for.",
            HelpName = "NAME",
            DefaultValueFactory = _ => "localhost",
        };
        var directory = new Option<string>("--output", "-o")
        {
            Description = "The directory to write cert.pem and key.pem into (created if missing).",
            HelpName = "DIR",
            DefaultValueFactory = _ => ".",
        };
        var force = new Option<bool>("--force") { Description = "Overwrite existing cert.pem and key.pem." };
        var cert = new Command("cert", "Make a self-signed TLS certificate and key for development.") { host, directory, force };
        cert.SetAction(parse => Run(parse.GetValue(host)!, parse.GetValue(directory)!, parse.GetValue(force),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return cert;
    }

    /// <summary>Writes the pair; refuses to overwrite unless <paramref name="force"/>.</summary>
    public static int Run(string host, string directory, bool force, TextWriter output, TextWriter error)
    {
        if (string.IsNullOrWhiteSpace(host) || host.Contains(' ') || host.Contains('/'))
        {
            error.WriteLine($"twine cert: '{host}' is not a host name.");
            return ExitCodes.Usage;
        }
        var certPath = Path.Combine(directory, "cert.pem");
        var keyPath = Path.Combine(directory, "key.pem");
        if (!force && (File.Exists(certPath) || File.Exists(keyPath)))
        {
            error.WriteLine($"twine cert: {certPath} or {keyPath} already exists (use --force to overwrite).");
            return ExitCodes.Failure;
        }
        try
        {
            Directory.CreateDirectory(directory);
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var certificate = SelfSigned(host, key);
            File.WriteAllText(certPath, certificate.ExportCertificatePem() + "\n");
            // The key file is readable by its owner only, as a private key should be.
            var keyOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) keyOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var writer = new StreamWriter(keyPath, System.Text.Encoding.ASCII, keyOptions)) writer.Write(key.ExportPkcs8PrivateKeyPem() + "\n");
            output.WriteLine($"twine cert: wrote {certPath} and {keyPath} for '{host}' (self-signed, valid until {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd})");
            output.WriteLine($"  serve:  twine echo --listen ssl:8443:privateKey={keyPath}:certKey={certPath}");
            output.WriteLine($"  trust:  curl --cacert {certPath} https://{host}:8443/");
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"twine cert: cannot write to '{directory}': {e.Message}");
            return ExitCodes.Failure;
        }
    }

    private static X509Certificate2 SelfSigned(string host, ECDsa key)
    {
        var request = new CertificateRequest(new X500DistinguishedName($"CN={host}"), key, HashAlgorithmName.SHA256);
        // An end-entity certificate that is its own trust anchor: OpenSSL, .NET and curl accept it as a trusted root.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var san = new SubjectAlternativeNameBuilder();
        if (IPAddress.TryParse(host, out var ip)) san.AddIpAddress(ip);
        else san.AddDnsName(host);
        if (host == "localhost")
        {
            san.AddIpAddress(IPAddress.Loopback);
            san.AddIpAddress(IPAddress.IPv6Loopback);
        }
        request.CertificateExtensions.Add(san.Build());
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(90));
    }
}
