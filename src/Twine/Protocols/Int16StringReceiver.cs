namespace Twine.Protocols;

/// <summary>
/// Sends and receives strings prefixed by their length as a 16-bit unsigned big-endian integer (2 bytes), after
/// Twisted's <c>Int16StringReceiver</c>. See <see cref="IntNStringReceiver"/> for the rules.
/// </summary>
/// <example>
/// <code>
/// sealed class Echo : Int16StringReceiver
/// {
///     protected override void StringReceived(ReadOnlySpan&lt;byte&gt; payload) => SendString(payload);
/// }
/// // SendString("foo"u8) writes 00 03 'f' 'o' 'o'
/// </code>
/// </example>
public abstract class Int16StringReceiver : IntNStringReceiver
{
    /// <summary>Creates the receiver.</summary>
    protected Int16StringReceiver() : base(2) { }
}
