using System.Numerics;

namespace Twine.Protocols.Amp;

/// <summary>
/// The argument types of Twisted's AMP, byte for byte (AMP11): use them to declare the fields of a command's arguments
/// and response.
/// </summary>
/// <remarks>
/// <para><see cref="Descriptor"/> passes a file descriptor beside the box over a Unix socket (SCM_RIGHTS); over any
/// other transport a Descriptor argument fails with an <see cref="AmpArgumentException"/> naming the transport.</para>
/// <para><see cref="BigString"/> and <see cref="BigUnicode"/> are not in Twisted's module: they are the long-string
/// convention from AMP's own documentation (the first 65535 bytes under the key, the rest under
/// <c>key.2</c>, <c>key.3</c>, …), which Twisted programs define for themselves.</para>
/// </remarks>
/// <example>
/// <code>
/// var schema = AmpSchema.Of(
///     AmpType.Unicode.Field("name", (Person p) => p.Name),
///     AmpType.ListOf(AmpType.Integer).Field("scores", (Person p) => p.Scores),
///     (name, scores) => new Person(name, scores));
/// </code>
/// </example>
public static class AmpType
{
    /// <summary>A 64-bit integer as ASCII decimal (<c>-42</c>). A bigger number from the peer is a format error: use <see cref="BigInteger"/>.</summary>
    public static AmpType<long> Integer { get; } = new IntegerType();

    /// <summary>An integer of any size as ASCII decimal, as Python's <c>int</c> travels.</summary>
    public static AmpType<BigInteger> BigInteger { get; } = new BigIntegerType();

    /// <summary>Raw bytes, unchanged (Twisted's <c>String</c>, Python <c>bytes</c>).</summary>
    public static AmpType<byte[]> String { get; } = new BytesType();

    /// <summary>Text as UTF-8 (invalid UTF-8 from the peer is a format error).</summary>
    public static AmpType<string> Unicode { get; } = new UnicodeType();

    /// <summary><c>True</c> or <c>False</c>, exactly; anything else from the peer is a format error.</summary>
    public static AmpType<bool> Boolean { get; } = new BooleanType();

    /// <summary>A double as Python's <c>repr</c> writes it: <c>0.1</c>, <c>1e+100</c>, <c>inf</c>, <c>-inf</c>, <c>nan</c>.</summary>
    public static AmpType<double> Float { get; } = new FloatType();

    /// <summary>A decimal as Python's <c>decimal.Decimal</c> writes it, precision and special values included.</summary>
    public static AmpType<AmpDecimal> Decimal { get; } = new DecimalType();

    /// <summary>A date and time with its UTC offset, <c>YYYY-MM-DDTHH:MM:SS.ffffff±HH:MM</c>, to the microsecond.</summary>
    public static AmpType<DateTimeOffset> DateTime { get; } = new DateTimeType();

    /// <summary>
    /// A file descriptor (Twisted's <c>Descriptor</c>, AMP12): sent with SCM_RIGHTS beside the box, which carries its
    /// ordinal. Unix sockets only. The sender keeps its descriptor (a copy travels); the receiver gets a new
    /// descriptor number, close-on-exec, which it owns and must close. Descriptors received but never claimed are
    /// closed with the connection.
    /// </summary>
    public static AmpType<int> Descriptor { get; } = new DescriptorType();

    /// <summary>Bytes of any length, spread over <c>key</c>, <c>key.2</c>, <c>key.3</c>, … in chunks of 65535.</summary>
    public static AmpType<byte[]> BigString { get; } = new BigStringType();

    /// <summary>Text of any length as UTF-8, chunked as <see cref="BigString"/> does.</summary>
    public static AmpType<string> BigUnicode { get; } = new BigUnicodeType();

    /// <summary>A list whose elements are each encoded by <paramref name="element"/> and prefixed by a 2-byte length.</summary>
    public static AmpType<IReadOnlyList<T>> ListOf<T>(AmpType<T> element)
    {
        ArgumentNullException.ThrowIfNull(element);
        return new ListOfType<T>(element);
    }

    /// <summary>A list of records, each a whole serialized box described by <paramref name="schema"/> (Twisted's <c>AmpList</c>).</summary>
    public static AmpType<IReadOnlyList<T>> AmpList<T>(AmpSchema<T> schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return new AmpListType<T>(schema);
    }

    /// <summary>The same encoding for <c>T?</c>, so a value type can be an <see cref="AmpType{T}.OptionalField{TRecord}"/>.</summary>
    public static AmpType<T?> Nullable<T>(AmpType<T> type) where T : struct
    {
        ArgumentNullException.ThrowIfNull(type);
        return new NullableType<T>(type);
    }
}
