using Twine.Defer;

namespace Twine.Protocols.Amp;

/// <summary>A call waiting for its answer: how to settle it from an answer box, an error reply, or the connection's end.</summary>
internal interface IPendingCall
{
    void Answer(AmpBox box);

    void Error(string code, string description);

    void Fail(Failure reason);
}

/// <summary>The typed pending call: reads the response with the command's schema, maps error codes to its declared exceptions (AMP6).</summary>
internal sealed class PendingCall<TArguments, TResponse>(AmpCommand<TArguments, TResponse> command) : IPendingCall
{
    public Deferred<TResponse> Result { get; } = new();

    public void Answer(AmpBox box)
    {
        TResponse response;
        try
        {
            response = command.Response.Read(box);
        }
        catch (AmpArgumentException e)
        {
            Result.Errback(e);
            return;
        }
        Result.Callback(response);
    }

    public void Error(string code, string description)
    {
        var declared = command.Errors.ForCode(code) ?? command.FatalErrors.ForCode(code);
        Exception error;
        if (declared is not null)
        {
            try
            {
                error = declared.Create(description);
            }
            catch (Exception e)
            {
                error = new InvalidOperationException($"Making the declared exception for AMP error code '{code}' failed: {e.Message}", e);
            }
        }
        else if (code == AmpKeys.UnhandledErrorCode)
        {
            error = new AmpUnhandledCommandException(description);
        }
        else
        {
            error = new AmpUnknownRemoteException(code, description);
        }
        Result.Errback(error);
    }

    public void Fail(Failure reason) => Result.Errback(reason);
}
