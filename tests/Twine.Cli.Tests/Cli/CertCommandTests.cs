using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Twine.Reactors;

namespace Twine.Cli.Tests.Cli;

public sealed class CertCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "twine-cert-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void WritesASelfSignedCertificateAndKeyForTheHost()
    {
        var run = CliRun.Invoke("cert", "--host", "localhost", "-o", _dir);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("cert.pem", run.Output);
        using var cert = X509Certificate2.CreateFromPemFile(Path.Combine(_dir, "cert.pem"), Path.Combine(_dir, "key.pem"));
        Assert.True(cert.HasPrivateKey);
        Assert.Equal("CN=localhost", cert.Subject);
        Assert.Equal(cert.Subject, cert.Issuer);
        Assert.True(cert.MatchesHostname("localhost"));
        Assert.True(cert.NotAfter > DateTime.Now.AddDays(30));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, "key.pem")));
    }

    [Fact]
    public void RefusesToOverwriteWithoutForce()
    {
        Assert.Equal(0, CliRun.Invoke("cert", "-o", _dir).ExitCode);
        var again = CliRun.Invoke("cert", "-o", _dir);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already exists", again.Error);
        Assert.Equal(0, CliRun.Invoke("cert", "-o", _dir, "--force").ExitCode);
    }

    [Fact]
    public void ABadHostIsAUsageError()
    {
        var run = CliRun.Invoke("cert", "--host", "not a host", "-o", _dir);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("not a host name", run.Error);
    }

    [Fact]
    public void EchoServesTlsWithTheGeneratedCertificate()
    {
        Assert.Equal(0, CliRun.Invoke("cert", "--host", "localhost", "-o", _dir).ExitCode);
        var certPath = Path.Combine(_dir, "cert.pem");
        var keyPath = Path.Combine(_dir, "key.pem");
        var output = new StringWriter();
        var error = new StringWriter();
        string? echoed = null;
        Exception? clientError = null;
        int exit = EchoCommand.Run($"ssl:0:privateKey={keyPath}:certKey={certPath}:interface=127.0.0.1", output, error,
            new ReactorOptions { InstallSignalHandlers = false },
            (reactor, port) =>
            {
                reactor.CallLater(TimeSpan.FromSeconds(20), reactor.Stop);   // a guard only
                int portNumber = ((IPEndPoint)port.Host).Port;
                // .NET's own SslStream, blocking on a worker thread, trusting just the generated certificate.
                _ = reactor.DeferToThread(() =>
                {
                    using var tcp = new TcpClient();
                    tcp.Connect(IPAddress.Loopback, portNumber);
                    var trusted = X509Certificate2.CreateFromPem(File.ReadAllText(certPath));
                    using var ssl = new SslStream(tcp.GetStream());
                    ssl.AuthenticateAsClient(new SslClientAuthenticationOptions
                    {
                        TargetHost = "localhost",
                        CertificateChainPolicy = new X509ChainPolicy
                        {
                            TrustMode = X509ChainTrustMode.CustomRootTrust,
                            CustomTrustStore = { trusted },
                            RevocationMode = X509RevocationMode.NoCheck,
                        },
                    });
                    return StreamEcho.RoundTrip(ssl, "hello, tls\n");
                }).AddBoth(outcome =>
                {
                    if (outcome.Succeeded) echoed = outcome.Value; else clientError = outcome.Failure!.Value;
                    reactor.Stop();
                });
            });
        Assert.Null(clientError);
        Assert.Equal(0, exit);
        Assert.Equal("hello, tls\n", echoed);
    }

    [Fact]
    public void EchoReportsAMissingKeyFileAsAUsageError()
    {
        var run = CliRun.Invoke("echo", "--listen", $"ssl:0:privateKey={_dir}/missing.pem");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("missing.pem", run.Error);
    }
}
