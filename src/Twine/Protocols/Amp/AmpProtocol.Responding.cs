using Twine.Defer;
using System.Text;
using Twine.Logging;

namespace Twine.Protocols.Amp;

// The answering half of the connection: turning a responder's outcome into an answer or error box (AMP4, AMP5).
public partial class AmpProtocol
{
    internal void RespondWithAnswer<TArguments, TResponse>(AmpCommand<TArguments, TResponse> command, ReadOnlyMemory<byte>? ask, TResponse response)
    {
        // No _ask: the caller wants nothing back. After the loss nobody is there to hear it (AMP8).
        if (ask is not { } tag || _closed is not null) return;
        Exception? failure;
        if (command.Response is FieldSchema<TResponse> { WritesDirectly: true } schema)
        {
            if (TryAnswerDirect(schema, tag.Span, response, out failure)) return;
        }
        else
        {
            var box = new AmpBox();
            failure = null;
            try
            {
                using (EnterCodec()) command.Response.Write(response, box);
            }
            catch (Exception e)
            {
                failure = e;
            }
            if (failure is null)
            {
                box.Set(AmpKeys.Answer, tag.ToArray());
                SendBox(box);
                return;
            }
        }
        // A response that cannot be encoded is the responder's bug, not a declared error (AMP5: UNKNOWN, close).
        RespondWithError(command, ask, new AmpArgumentException("(response)", $"the response to '{command.Name}' cannot be sent: {failure!.Message}", failure));
    }

    internal void RespondWithError<TArguments, TResponse>(AmpCommand<TArguments, TResponse> command, ReadOnlyMemory<byte>? ask, Exception error)
    {
        if (_closed is not null) return;
        if (ask is not { } tag)
        {
            DropAfterUnansweredFailure(command.Name, error);
            return;
        }
        var askBytes = tag.Span;
        if (command.Errors.Match(error) is { } declared)
        {
            SendError(askBytes, declared.Code, error.Message, thenClose: false);
        }
        else if (command.FatalErrors.Match(error) is { } fatal)
        {
            SendError(askBytes, fatal.Code, error.Message, thenClose: true);
        }
        else if (error is AmpRemoteException remote)
        {
            SendError(askBytes, remote.Code, remote.Description, thenClose: false);
        }
        else
        {
            Log.Error(LogEventId.AmpResponderFailed, typeof(AmpProtocol), $"AMP: the responder for '{command.Name}' failed with an undeclared error; answering UNKNOWN and closing the connection", new Failure(error));
            SendError(askBytes, AmpKeys.UnknownErrorCode, "Unknown Error", thenClose: true);
        }
    }

    /// <summary>A request sent without _ask failed: there is nobody to tell, so log and drop the connection (AMP4).</summary>
    private void DropAfterUnansweredFailure(string commandName, Exception error)
    {
        Log.Error(LogEventId.AmpUnansweredCommandFailed, typeof(AmpProtocol), $"AMP: '{commandName}' was sent without asking for an answer and failed; dropping the connection", new Failure(error));
        TransportOrNull?.LoseConnection();
    }

    private void SendError(ReadOnlySpan<byte> ask, string code, string description, bool thenClose)
    {
        var box = new AmpBox();
        box.Set(AmpKeys.Error, ask.ToArray());
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
