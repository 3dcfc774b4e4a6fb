namespace Twine.Protocols;

/// <summary>
/// A string is too long for the length prefix of an <see cref="IntNStringReceiver"/> (Twisted's
/// <c>StringTooLongError</c>, IN3): 256 bytes or more for <see cref="Int8StringReceiver"/>, 65536 or more for
/// <see cref="Int16StringReceiver"/>.
/// </summary>
/// <example>
/// <code>
/// try { int8Protocol.SendString(new byte[300]); }
/// catch (StringTooLongException e) { Console.WriteLine(e.Message); }
/// </code>
/// </example>
public sealed class StringTooLongException : ArgumentException
{
    /// <summary>Creates the exception for a string of <paramref name="length"/> bytes and a prefix limit of <paramref name="limit"/>.</summary>
    public StringTooLongException(long length, long limit)
        : base($"Try to send {length} bytes whereas maximum is {limit}")
    {
        Length = length;
        Limit = limit;
    }

    /// <summary>The length that was refused.</summary>
    public long Length { get; }

    /// <summary>2^(8 × prefix length): the first length the prefix cannot represent.</summary>
    public long Limit { get; }
}
