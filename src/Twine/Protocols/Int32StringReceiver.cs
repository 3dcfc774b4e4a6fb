namespace Twine.Protocols;

/// <summary>
/// Sends and receives strings prefixed by their length as a 32-bit unsigned big-endian integer (4 bytes), after
/// Twisted's <c>Int32StringReceiver</c>. See <see cref="IntNStringReceiver"/> for the rules.
/// </summary>
/// <example>
/// <code>
/// sealed class Echo : Int32StringReceiver
/// {
///     protected override void StringReceived(ReadOnlySpan&lt;byte&gt; payload) => SendString(payload);
/// }
/// // SendString("foo"u8) writes 00 00 00 03 'f' 'o' 'o'
/// </code>
/// </example>
public abstract class Int32StringReceiver : IntNStringReceiver
{
    /// <summary>Creates the receiver.</summary>
    protected Int32StringReceiver() : base(4) { }
}
