namespace Twine.Protocols;

/// <summary>
/// The data received by a <see cref="NetstringReceiver"/> is not a valid netstring (Twisted's
/// <c>NetstringParseError</c>). The receiver records it in <see cref="NetstringReceiver.ParseError"/> and closes the
/// connection; it is not thrown out of <c>DataReceived</c>.
/// </summary>
/// <example>
/// <code>
/// public override void ConnectionLost(Failure reason)
/// {
///     if (ParseError is { } error) Console.WriteLine($"peer sent garbage: {error.Message}");
/// }
/// </code>
/// </example>
public sealed class NetstringParseException : FormatException
{
    /// <summary>The data does not start with a length: not a digit, or a leading zero (NS3).</summary>
    public const string MissingLength = "The received netstring does not start with a length specification.";

    /// <summary>The length is longer than the receiver's maximum (NS3).</summary>
    public const string TooLongFormat = "The received netstring is longer than the maximum {0} specified by MaxLength";

    /// <summary>The byte after the payload is not a comma (NS3).</summary>
    public const string MissingComma = "The received netstring is not terminated by a comma.";

    /// <summary>Creates the exception with one of the messages above.</summary>
    public NetstringParseException(string message) : base(message) { }
}
