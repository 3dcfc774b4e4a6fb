using System.Security.Authentication;

namespace Twine.Net.Tls;

/// <summary>Turns the platform's handshake errors into Twine's specific <see cref="TlsException"/> types.</summary>
/// <remarks>
/// <see cref="System.Net.Security.SslStream"/> reports most failures as <see cref="AuthenticationException"/> with OpenSSL's reason in an
/// inner exception's message; the certificate case is known exactly from the validation callback.
/// </remarks>
internal static class TlsFailures
{
    private static readonly string[] s_version =
    [
        "unsupported protocol", "no protocols available", "protocol version", "version too low", "wrong ssl version",
        "tlsv1 alert protocol version", "unsupported_protocol",
    ];

    private static readonly string[] s_notTls =
    [
        "wrong version number", "http request", "https proxy request", "unknown protocol", "packet length too long",
        "record layer failure", "frame size", "corrupted frame", "unexpected message", "record length", "bad record",
        "record_overflow",
    ];

    public static TlsException Handshake(Exception error, PeerCertificateCheck check, bool transportEnded, bool isClient)
    {
        if (check.Rejected) return check.ToException(error);
        var text = AllMessages(error);
        if (s_version.Any(text.Contains))
            return new TlsProtocolVersionException($"The TLS handshake failed: no protocol version in common with the {Peer(isClient)} ({Reason(error)}).", error);
        if (transportEnded)
            return new TlsHandshakeException($"The {Peer(isClient)} closed the connection during the TLS handshake ({Reason(error)}).", error);
        if (s_notTls.Any(text.Contains))
            return new TlsProtocolException($"The {Peer(isClient)} did not send a valid TLS handshake ({Reason(error)}).", error);
        return new TlsHandshakeException($"The TLS handshake with the {Peer(isClient)} failed: {Reason(error)}.", error);
    }

    private static string Peer(bool isClient) => isClient ? "server" : "client";

    /// <summary>The platform's innermost message: OpenSSL's reason when there is one.</summary>
    private static string Reason(Exception error)
    {
        var inner = error;
        while (inner.InnerException is not null) inner = inner.InnerException;
        return inner == error ? error.Message : $"{error.Message} {inner.Message}";
    }

    private static string AllMessages(Exception error)
    {
        var text = new System.Text.StringBuilder();
        for (var e = error; e is not null; e = e.InnerException) text.Append(e.Message).Append('\n');
        return text.ToString().ToLowerInvariant();
    }
}
