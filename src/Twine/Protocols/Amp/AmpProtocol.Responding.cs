using Twine.Defer;
using System.Text;
using Twine.Logging;

namespace Twine.Protocols.Amp;

// The answering half of the connection: turning a responder's outcome into an answer or error box (AMP4, AMP5).
public partial class AmpProtocol
{
    internal void RespondWithAnswer<TArguments, TResponse>(AmpCommand<TArguments, TResponse> command, byte[]? ask, TResponse response)
    {
        // No _ask: the caller wants nothing back. After the loss nobody is there to hear it (AMP8).
        if (ask is null || _closed is not null) return;
        var box = new AmpBox();
        try
        {
            using (EnterCodec()) command.Response.Write(response, box);
        }
        catch (Exception e)
        {
            // A response that cannot be encoded is the responder's bug, not a declared error (AMP5: UNKNOWN, close).
            RespondWithError(command, ask, new AmpArgumentException("(response)", $"the response to '{command.Name}' cannot be sent: {e.Message}", e));
            return;
        }
        box.Set(AmpKeys.Answer, ask);
        SendBox(box);
    }

    internal void RespondWithError<TArguments, TResponse>(AmpCommand<TArguments, TResponse> command, byte[]? ask, Exception error)
    {
        if (_closed is not null) return;
        if (ask is null)
        {
            DropAfterUnansweredFailure(command.Name, error);
            return;
        }
        if (command.Errors.Match(error) is { } declared)
        {
            SendError(ask, declared.Code, error.Message, thenClose: false);
        }
        else if (command.FatalErrors.Match(error) is { } fatal)
        {
            SendError(ask, fatal.Code, error.Message, thenClose: true);
        }
        else if (error is AmpRemoteException remote)
        {
            SendError(ask, remote.Code, remote.Description, thenClose: false);
        }
        else
        {
            Log.Error(LogEventId.AmpResponderFailed, typeof(AmpProtocol), $"AMP: the responder for '{command.Name}' failed with an undeclared error; answering UNKNOWN and closing the connection", new Failure(error));
            SendError(ask, AmpKeys.UnknownErrorCode, "Unknown Error", thenClose: true);
        }
    }

    /// <summary>A request sent without _ask failed: there is nobody to tell, so log and drop the connection (AMP4).</summary>
    private void DropAfterUnansweredFailure(string commandName, Exception error)
    {
        Log.Error(LogEventId.AmpUnansweredCommandFailed, typeof(AmpProtocol), $"AMP: '{commandName}' was sent without asking for an answer and failed; dropping the connection", new Failure(error));
        TransportOrNull?.LoseConnection();
    }

    private void SendError(byte[] ask, string code, string description, bool thenClose)
    {
        var box = new AmpBox();
        box.Set(AmpKeys.Error, ask);
        box.Set(AmpKeys.ErrorCode, Encoding.Latin1.GetBytes(code));
        box.Set(AmpKeys.ErrorDescription, Truncate(Encoding.UTF8.GetBytes(description)));
        SendBox(box);
        if (thenClose) Transport.LoseConnection();
    }

    /// <summary>A description is for people: one too long for a value is cut (at a character boundary) rather than lost.</summary>
    private static byte[] Truncate(byte[] utf8)
    {
        if (utf8.Length <= AmpBox.MaxValueLength) return utf8;
        var end = AmpBox.MaxValueLength;
        while (end > 0 && (utf8[end] & 0xC0) == 0x80) end--;
        return utf8[..end];
    }
}
