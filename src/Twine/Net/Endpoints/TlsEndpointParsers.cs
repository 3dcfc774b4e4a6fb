using static Twine.Net.Endpoints.EndpointSignature;

namespace Twine.Net.Endpoints;

/// <summary>
/// The reserved TLS endpoint types: server <c>ssl:</c>, client <c>ssl:</c> and <c>tls:</c>. Twine has no TLS transport
/// yet, so these check the description exactly as Twisted would (so a wrong one reports its real mistake) and then fail
/// with <see cref="NotSupportedException"/>. A TLS module replaces them through <see cref="EndpointParsers.Register(IStreamServerEndpointStringParser)"/>.
/// </summary>
internal static class TlsEndpointParsers
{
    public const string NotAvailable =
        "TLS is not available in Twine yet: the '{0}' endpoint type is reserved for it, but no TLS transport is installed. " +
        "Use a 'tcp' endpoint behind a TLS-terminating proxy, or register a TLS endpoint parser with EndpointParsers.Register.";

    private static readonly EndpointSignature s_sslServer = new("ssl", "port", "privateKey=server.pem", "certKey?", "sslmethod?",
        "interface=", "backlog=" + ListenBacklog.Default.ToString(System.Globalization.CultureInfo.InvariantCulture), "extraCertChain?", "dhParameters?");

    private static readonly EndpointSignature s_sslClient = new("SSL4ClientEndpoint", "host", "port", "timeout=30", "bindAddress?",
        "certKey?", "privateKey?", "caCertsDir?", "hostname?");

    private static readonly EndpointSignature s_tlsClient = new("tls", "host", "port", "timeout=30", "bindAddress?",
        "certificate?", "privateKey?", "trustRoots?", "endpoint?");

    /// <summary><c>ssl:PORT[:privateKey=][:certKey=][:sslmethod=][:interface=][:backlog=][:extraCertChain=][:dhParameters=]</c>.</summary>
    public static IStreamServerEndpoint SslServer(IReactorStreamSockets reactor, EndpointArguments a)
    {
        var v = s_sslServer.Bind(a.Positional, a.Keywords);
        ToPort(v["port"]!);
        ToInt(v["backlog"]!, "backlog");
        throw new NotSupportedException(string.Format(System.Globalization.CultureInfo.InvariantCulture, NotAvailable, "ssl"));
    }

    /// <summary>Client <c>ssl:</c>: the TCP client arguments plus <c>certKey</c>, <c>privateKey</c>, <c>caCertsDir</c>, <c>hostname</c>.</summary>
    public static IStreamClientEndpoint SslClient(IReactorStreamSockets reactor, EndpointArguments a)
    {
        var v = s_sslClient.Bind([], BuiltInEndpointParsers.ClientTcpKeywords(a));
        ToPort(v["port"]!);
        ToInt(v["timeout"]!, "timeout");
        throw new NotSupportedException(string.Format(System.Globalization.CultureInfo.InvariantCulture, NotAvailable, "ssl"));
    }

    /// <summary><c>tls:HOST:PORT[:timeout][:bindAddress][:certificate][:privateKey][:trustRoots][:endpoint=]</c>; unknown keywords are errors.</summary>
    public static IStreamClientEndpoint TlsClient(IReactorStreamSockets reactor, EndpointArguments a)
    {
        var v = s_tlsClient.Bind(a.Positional, a.Keywords);
        ToPort(v["port"]!);
        ToInt(v["timeout"]!, "timeout");
        throw new NotSupportedException(string.Format(System.Globalization.CultureInfo.InvariantCulture, NotAvailable, "tls"));
    }
}
