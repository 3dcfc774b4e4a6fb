namespace Twine.Protocols;

/// <summary>
/// Sends and receives strings prefixed by their length as an 8-bit unsigned big-endian integer (1 byte), after
/// Twisted's <c>Int8StringReceiver</c>. See <see cref="IntNStringReceiver"/> for the rules.
/// </summary>
/// <example>
/// <code>
/// sealed class Echo : Int8StringReceiver
/// {
///     protected override void StringReceived(ReadOnlySpan&lt;byte&gt; payload) => SendString(payload);
/// }
/// // SendString("foo"u8) writes 03 'f' 'o' 'o'
/// </code>
/// </example>
public abstract class Int8StringReceiver : IntNStringReceiver
{
    /// <summary>Creates the receiver.</summary>
    protected Int8StringReceiver() : base(1) { }
}
