namespace Twine.Protocols.Amp;

/// <summary>
/// A field of a command's arguments or response could not be sent or read: missing, null where required, or not a
/// valid encoding of its type (AMP9, AMP11). Raised locally, it fails the call before anything is sent; raised while
/// reading a request, the peer gets an <c>UNKNOWN</c> error, as from Twisted.
/// </summary>
/// <example>
/// <code>
/// amp.CallRemote(Commands.Greet, new(null!)).AddErrback(f => f.Trap&lt;AmpArgumentException&gt;());
/// </code>
/// </example>
public sealed class AmpArgumentException : Exception
{
    /// <summary>Creates the exception for the field <paramref name="key"/>.</summary>
    public AmpArgumentException(string key, string problem, Exception? inner = null)
        : base($"AMP field '{key}': {problem}.", inner)
    {
        Key = key;
    }

    /// <summary>The key of the field at fault.</summary>
    public string Key { get; }
}
