namespace Twine.Protocols.Amp;

/// <summary>
/// The AMP conversation broke its rules: a malformed or oversized box, a box that is neither a command nor an answer,
/// an answer to a question never asked (AMP1–AMP3). The connection that sent it is closed, and its outstanding calls
/// fail with this exception.
/// </summary>
/// <example>
/// <code>
/// amp.CallRemote(Commands.Sum, new(1, 2)).AddErrback(f =>
/// {
///     if (f.Check&lt;AmpProtocolException&gt;()) Console.WriteLine($"the peer broke AMP: {f.Value.Message}");
/// });
/// </code>
/// </example>
public class AmpProtocolException : Exception
{
    /// <summary>Creates the exception with a message saying what was wrong.</summary>
    public AmpProtocolException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public AmpProtocolException(string message, Exception? inner) : base(message, inner) { }
}
