namespace Twine.Protocols.Amp;

/// <summary>
/// An error that travels as an AMP error code and description, after Twisted's <c>RemoteAmpError</c>. A responder
/// may throw one to answer with any code; on the caller's side it is the base of the errors AMP itself reports
/// (<see cref="AmpUnhandledCommandException"/>, <see cref="AmpUnknownRemoteException"/>).
/// </summary>
/// <example>
/// <code>
/// responders.Add(Commands.Lookup, args => throw new AmpRemoteException("NOT_FOUND", $"no user {args.Name}"));
/// </code>
/// </example>
public class AmpRemoteException : Exception
{
    /// <summary>Creates the error with its code and description.</summary>
    public AmpRemoteException(string code, string description) : base(description)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        Code = code;
        Description = description;
    }

    /// <summary>The error code on the wire.</summary>
    public string Code { get; }

    /// <summary>The description on the wire (also the message).</summary>
    public string Description { get; }
}

/// <summary>The peer has no responder for the command: code <c>UNHANDLED</c> (Twisted's <c>UnhandledCommand</c>, AMP5, AMP6).</summary>
/// <example>
/// <code>
/// amp.CallRemote(Commands.NewFeature, args).AddErrback(f => { f.Trap&lt;AmpUnhandledCommandException&gt;(); /* old peer */ });
/// </code>
/// </example>
public sealed class AmpUnhandledCommandException : AmpRemoteException
{
    /// <summary>Creates the error with the peer's description.</summary>
    public AmpUnhandledCommandException(string description) : base(AmpKeys.UnhandledErrorCode, description) { }
}

/// <summary>
/// The peer answered with a code the command does not declare, usually <c>UNKNOWN</c>: its responder failed in a way
/// it did not declare, and it closes the connection (Twisted's <c>UnknownRemoteError</c>, AMP5, AMP6).
/// </summary>
/// <example>
/// <code>
/// d.AddErrback(f => { var e = f.Trap&lt;AmpUnknownRemoteException&gt;(); Console.WriteLine(e.Code); });
/// </code>
/// </example>
public sealed class AmpUnknownRemoteException : AmpRemoteException
{
    /// <summary>Creates the error with the code and description the peer sent.</summary>
    public AmpUnknownRemoteException(string code, string description) : base(code, description) { }
}
