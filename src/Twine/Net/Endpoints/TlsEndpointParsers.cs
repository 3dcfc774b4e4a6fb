using System.Net;
using Twine.Net.Tls;
using static Twine.Net.Endpoints.EndpointSignature;

namespace Twine.Net.Endpoints;

/// <summary>
/// The TLS endpoint types, with Twisted's arguments: server <c>ssl:</c>, client <c>ssl:</c> and <c>tls:</c>. Each wraps
/// the matching TCP endpoint in <see cref="TlsServerEndpoint"/> or <see cref="TlsClientEndpoint"/>. Certificate and key
/// files are read when the description is parsed, so a wrong path is reported at once (as an
/// <see cref="ArgumentException"/> naming the file).
/// </summary>
internal static class TlsEndpointParsers
{
    private static readonly EndpointSignature s_sslServer = new("ssl", "port", "privateKey=server.pem", "certKey?", "sslmethod?",
        "interface=", "backlog=" + ListenBacklog.Default.ToString(System.Globalization.CultureInfo.InvariantCulture), "extraCertChain?", "dhParameters?", "reusePort=false");

    private static readonly EndpointSignature s_sslClient = new("SSL4ClientEndpoint", "host", "port", "timeout=30", "bindAddress?",
        "certKey?", "privateKey?", "caCertsDir?", "hostname?");

    private static readonly EndpointSignature s_tlsClient = new("tls", "host", "port", "timeout=30", "bindAddress?",
        "certificate?", "privateKey?", "trustRoots?", "endpoint?");

    /// <summary>
    /// <c>ssl:PORT[:privateKey=][:certKey=][:sslmethod=][:interface=][:backlog=][:extraCertChain=][:dhParameters=][:reusePort=true]</c>.
    /// As in Twisted, <c>certKey</c> defaults to <c>privateKey</c> (one PEM file holding both).
    /// </summary>
    public static IStreamServerEndpoint SslServer(IReactorStreamSockets reactor, EndpointArguments a)
    {
        var v = s_sslServer.Bind(a.Positional, a.Keywords);
        int port = ToPort(v["port"]!);
        int backlog = ToInt(v["backlog"]!, "backlog");
        var keyPath = v["privateKey"]!;
        var options = Load(() => TlsServerOptions.FromPemFiles(v["certKey"] ?? keyPath, keyPath, v["extraCertChain"]));
        options.Protocols = SslMethod(v["sslmethod"]);
        // OpenSSL (through .NET) negotiates ECDHE key exchange and chooses its own groups; Diffie-Hellman parameters
        // only matter for the old DHE suites, so the file is checked to exist and otherwise not needed.
        if (v["dhParameters"] is { } dh && !File.Exists(dh)) throw new ArgumentException($"The dhParameters file '{dh}' does not exist.");
        var tcp = new Tcp4ServerEndpoint(reactor, port, backlog, v["interface"]!, ToBool(v["reusePort"]!, "reusePort"));
        return new TlsServerEndpoint(tcp, options);
    }

    /// <summary>Client <c>ssl:</c>: the TCP client arguments plus <c>certKey</c>, <c>privateKey</c>, <c>caCertsDir</c>, <c>hostname</c>.</summary>
    /// <remarks>Unlike Twisted's, which skips verification without <c>caCertsDir</c>, this one verifies against the system's store.</remarks>
    public static IStreamClientEndpoint SslClient(IReactorStreamSockets reactor, EndpointArguments a)
    {
        var v = s_sslClient.Bind([], BuiltInEndpointParsers.ClientTcpKeywords(a));
        var host = v["host"]!;
        var options = new TlsClientOptions { HostName = v["hostname"] ?? host };
        if (v["caCertsDir"] is { } ca) options.TrustRoots = Load(() => TlsClientOptions.LoadTrustRoots(ca));
        if (v["certKey"] is { } cert) options.ClientCertificate = Load(() => PemFiles.LoadCertificateWithKey(cert, v["privateKey"]));
        var tcp = new Tcp4ClientEndpoint(reactor, host, ToPort(v["port"]!),
            TimeSpan.FromSeconds(ToInt(v["timeout"]!, "timeout")), BindEndPoint(v["bindAddress"]));
        return new TlsClientEndpoint(tcp, options);
    }

    /// <summary>
    /// <c>tls:HOST:PORT[:timeout][:bindAddress][:certificate][:privateKey][:trustRoots][:endpoint=]</c>; unknown keywords
    /// are errors. <c>trustRoots</c> is a PEM file or a directory of them; <c>endpoint</c> a client description (with
    /// escaped colons) to carry the ciphertext instead of TCP to HOST:PORT.
    /// </summary>
    public static IStreamClientEndpoint TlsClient(IReactorStreamSockets reactor, EndpointArguments a)
    {
        var v = s_tlsClient.Bind(a.Positional, a.Keywords);
        var host = v["host"]!;
        int port = ToPort(v["port"]!);
        int timeout = ToInt(v["timeout"]!, "timeout");
        var options = new TlsClientOptions { HostName = host };
        if (v["trustRoots"] is { } roots) options.TrustRoots = Load(() => TlsClientOptions.LoadTrustRoots(roots));
        if (v["certificate"] is { } cert) options.ClientCertificate = Load(() => PemFiles.LoadCertificateWithKey(cert, v["privateKey"]));
        IStreamClientEndpoint inner;
        if (v["endpoint"] is { } description)
        {
            var parsed = EndpointDescription.Parse(description);
            inner = EndpointParsers.Default.FindClient(parsed.Positional[0]).ParseStreamClient(reactor, parsed.WithoutType());
        }
        else if (v["bindAddress"] is { } bind)
        {
            // A bound source address fixes the family, so there is one address to try: TCP's own connector picks it.
            inner = new Tcp4ClientEndpoint(reactor, host, port, TimeSpan.FromSeconds(timeout), BindEndPoint(bind));
        }
        else
        {
            // Every address the name resolves to, in turn (Twisted's HostnameEndpoint under wrapClientTLS).
            inner = new HostnameEndpoint(reactor, host, port, TimeSpan.FromSeconds(timeout));
        }
        return new TlsClientEndpoint(inner, options);
    }

    /// <summary>Twisted's method names; anything older than TLS 1.2 is refused as insecure.</summary>
    private static System.Security.Authentication.SslProtocols SslMethod(string? method) => method switch
    {
        null or "SSLv23_METHOD" or "TLS_METHOD" => System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
        "TLSv1_2_METHOD" => System.Security.Authentication.SslProtocols.Tls12,
        "SSLv2_METHOD" or "SSLv3_METHOD" or "TLSv1_METHOD" or "TLSv1_1_METHOD" =>
            throw new NotSupportedException($"sslmethod={method} is an insecure protocol version; Twine speaks TLS 1.2 and 1.3 only."),
        _ => throw new ArgumentException($"Unknown sslmethod '{method}': use SSLv23_METHOD (TLS 1.2 and 1.3) or TLSv1_2_METHOD."),
    };

    /// <summary>Loads files, reporting a missing one as a bad description.</summary>
    private static T Load<T>(Func<T> load)
    {
        try
        {
            return load();
        }
        catch (FileNotFoundException e)
        {
            throw new ArgumentException(e.Message, e);
        }
    }

    private static IPEndPoint? BindEndPoint(string? address)
    {
        if (address is null) return null;
        if (!IPAddress.TryParse(address, out var ip))
            throw new ArgumentException($"bindAddress must be an IP address literal, not '{address}'.");
        return new IPEndPoint(ip, 0);
    }
}
