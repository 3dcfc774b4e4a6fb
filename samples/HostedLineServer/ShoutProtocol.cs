using System.Text;
using Microsoft.Extensions.Logging;
using Twine;
using Twine.Protocols;

namespace HostedLineServer;

/// <summary>
/// One client: every line comes back in capitals; <c>QUIT</c> ends the conversation. Lines over 1 KiB close the
/// connection (LineReceiver's limit), so one client cannot make the server buffer without end.
/// </summary>
public sealed partial class ShoutProtocol(Lobby lobby) : LineReceiver
{
    public override void ConnectionMade()
    {
        MaxLength = 1024;
        lobby.Joined(this);
        LogJoined(lobby.Logger, Transport.Peer);
        SendLine("hello, I shout back");
    }

    protected override void LineReceived(ReadOnlySpan<byte> line)
    {
        var text = Encoding.UTF8.GetString(line);
        if (text == "QUIT")
        {
            SendLine("bye");
            Transport.LoseConnection();
            return;
        }
        SendLine(text.ToUpperInvariant());
    }

    public override void ConnectionLost(Failure reason) => lobby.Left(this);

    [LoggerMessage(EventId = 2, EventName = "ClientJoined", Level = LogLevel.Information, Message = "Client {Peer} joined")]
    private static partial void LogJoined(ILogger logger, System.Net.EndPoint peer);
}
