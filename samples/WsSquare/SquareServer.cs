using System.Globalization;
using Twine.Defer;
using SquareSamples;
using Twine.Web.WebSockets;

namespace WsSquare;

/// <summary>
/// The server side of the slow-square service: each text message "ID X" is answered "ID X²" after X units of time,
/// computed by an <c>async Deferred</c> method, so several requests on one connection are in flight at once and
/// answers come back in order of completion.
/// </summary>
public sealed class SquareServer(TimeSpan unit) : WebSocketServerProtocol
{
    /// <summary>Only clients that speak the square protocol are accepted.</summary>
    public override ConnectDecision OnConnect(ConnectionRequest request) =>
        request.Protocols.Contains(SquareClient.Name)
            ? new ConnectionAccept(SquareClient.Name)
            : throw new ConnectionDeniedException(400, $"This service speaks the '{SquareClient.Name}' subprotocol.");

    /// <inheritdoc/>
    public override async Deferred OnMessage(byte[] payload, bool isBinary)
    {
        var parts = System.Text.Encoding.UTF8.GetString(payload).Split(' ');
        if (parts.Length != 2 || !long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long x))
        {
            SendClose(4000, "Expected 'ID X'.");
            return;
        }
        try
        {
            long y = await SlowSquare.Compute(Time, x, unit);
            SendMessage($"{parts[0]} {y.ToString(CultureInfo.InvariantCulture)}");
        }
        catch (ArgumentOutOfRangeException e)
        {
            SendMessage($"{parts[0]} error {e.Message}");
        }
    }
}
