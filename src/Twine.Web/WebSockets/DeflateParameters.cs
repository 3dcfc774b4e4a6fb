using System.Globalization;

namespace Twine.Web.WebSockets;

/// <summary>
/// The outcome of permessage-deflate negotiation (RFC 7692 §7.1): whether each side resets its compression context
/// between messages.
/// </summary>
/// <remarks>
/// .NET 10's zlib does not expose the window size for compression (<c>ZLibCompressionOptions</c> has only the level
/// and strategy; a window setting comes with .NET 11), so this side always compresses with a 32 KiB window (15 bits). An offer that asks this side to compress with a smaller window (<c>server_max_window_bits</c> &lt; 15 to
/// a server, <c>client_max_window_bits</c> &lt; 15 imposed on a client that did not offer it) cannot be honoured and is
/// declined; a limit on the peer's window costs nothing, because a 15-bit inflater reads any smaller window.
/// </remarks>
internal sealed record DeflateParameters(bool LocalNoContextTakeover, bool PeerNoContextTakeover, string ResponseHeader)
{
    public const string Name = "permessage-deflate";

    /// <summary>The client's offer: plain <c>permessage-deflate</c>, asking for no context takeover on both sides when configured.</summary>
    public static string ClientOffer(WebSocketOptions options) =>
        options.NoContextTakeover ? $"{Name}; client_no_context_takeover; server_no_context_takeover" : Name;

    /// <summary>
    /// The server's choice among the client's offers: the first permessage-deflate offer it can honour, or null to
    /// go on without compression.
    /// </summary>
    public static DeflateParameters? Accept(IEnumerable<ExtensionOffer> offers, WebSocketOptions options)
    {
        foreach (var offer in offers)
        {
            if (offer.Name != Name) continue;
            if (TryAccept(offer, options) is { } accepted) return accepted;
        }
        return null;
    }

    private static DeflateParameters? TryAccept(ExtensionOffer offer, WebSocketOptions options)
    {
        bool serverReset = options.NoContextTakeover, clientReset = false, serverBits = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in offer.Parameters)
        {
            if (!seen.Add(key)) return null;                    // a repeated parameter makes the offer invalid
            switch (key)
            {
                case "server_no_context_takeover" when value is null:
                    serverReset = true;
                    break;
                case "client_no_context_takeover" when value is null:
                    clientReset = true;
                    break;
                case "server_max_window_bits":
                    if (ParseBits(value) is not { } bits) return null;
                    if (bits < 15) return null;                 // this side cannot compress with a smaller window
                    serverBits = true;
                    break;
                case "client_max_window_bits":
                    if (value is not null && ParseBits(value) is null) return null;
                    break;                                      // not limiting the client: omitted from the response
                default:
                    return null;
            }
        }
        var response = Name;
        if (serverReset) response += "; server_no_context_takeover";
        if (clientReset) response += "; client_no_context_takeover";
        // RFC 7692 lets the answer leave the window out (15 is within the limit), but Python's websockets then refuses
        // the response: say it.
        if (serverBits) response += "; server_max_window_bits=15";
        return new DeflateParameters(serverReset, clientReset, response);
    }

    /// <summary>
    /// The client's reading of the server's response; throws <see cref="WebSocketHandshakeException"/> for a response
    /// that breaks RFC 7692 or asks for what this side cannot do (it must then fail the connection).
    /// </summary>
    public static DeflateParameters FromResponse(ExtensionOffer response, WebSocketOptions options)
    {
        bool clientReset = options.NoContextTakeover, serverReset = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in response.Parameters)
        {
            if (!seen.Add(key)) throw new WebSocketHandshakeException($"The server repeated the permessage-deflate parameter {key}.");
            switch (key)
            {
                case "server_no_context_takeover" when value is null:
                    serverReset = true;
                    break;
                case "client_no_context_takeover" when value is null:
                    clientReset = true;
                    break;
                case "server_max_window_bits" when ParseBits(value) is not null:
                    break;
                case "client_max_window_bits":
                    throw new WebSocketHandshakeException("The server set client_max_window_bits, which this client did not offer.");
                default:
                    throw new WebSocketHandshakeException($"The server answered permessage-deflate with the parameter '{key}{(value is null ? "" : "=" + value)}'.");
            }
        }
        return new DeflateParameters(clientReset, serverReset, "");
    }

    private static int? ParseBits(string? value) =>
        value is not null && value.Length is 1 or 2 && value[0] != '0'
        && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int bits) && bits is >= 8 and <= 15 ? bits : null;
}
