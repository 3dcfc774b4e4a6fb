namespace Twine.Protocols.Amp;

/// <summary>
/// How values of <typeparamref name="T"/> travel in an AMP box, after Twisted's <c>Argument</c> classes (AMP11):
/// most types are one key whose value is <see cref="Encode"/>d bytes; a few (<see cref="AmpType.BigString"/>) spread
/// one value over several keys by overriding <see cref="Write"/> and <see cref="TryRead"/>.
/// </summary>
/// <remarks>The built-in types are on <see cref="AmpType"/>. Derive from this class for a type of your own.</remarks>
/// <example>
/// <code>
/// // A field of a command's arguments: key "a", an Integer, read from and written to SumArgs.A
/// AmpField&lt;SumArgs, long&gt; a = AmpType.Integer.Field("a", (SumArgs s) => s.A);
///
/// byte[] wire = AmpType.Float.Encode(1e100);    // "1e+100", as Python's repr writes it
/// </code>
/// </example>
/// <typeparam name="T">The .NET type of the values.</typeparam>
public abstract class AmpType<T>
{
    /// <summary>The type's name in error messages: Twisted's class name (<c>Integer</c>, <c>Unicode</c>, …).</summary>
    public abstract string Name { get; }

    /// <summary>The bytes of <paramref name="value"/> on the wire.</summary>
    /// <exception cref="ArgumentException">The value cannot be represented (for example a string with a lone surrogate).</exception>
    public abstract byte[] Encode(T value);

    /// <summary>The value <paramref name="bytes"/> stand for.</summary>
    /// <exception cref="FormatException">The bytes are not a valid encoding of this type.</exception>
    public abstract T Decode(ReadOnlySpan<byte> bytes);

    /// <summary>Puts <paramref name="value"/> into <paramref name="box"/> under <paramref name="key"/>.</summary>
    /// <exception cref="AmpTooLongException">The encoded value is longer than 65535 bytes.</exception>
    public virtual void Write(AmpBox box, string key, T value) => box.Set(key, Encode(value));

    /// <summary>Reads the value under <paramref name="key"/>; false when the box does not hold it.</summary>
    /// <exception cref="FormatException">The value is there but malformed.</exception>
    public virtual bool TryRead(AmpBox box, string key, out T value)
    {
        ArgumentNullException.ThrowIfNull(box);
        // The value is decoded where it lies: a received box does not make an array of it.
        if (!box.TryGetSpan(key, out var bytes))
        {
            value = default!;
            return false;
        }
        value = Decode(bytes);
        return true;
    }

    /// <summary>
    /// Whether a value is exactly one key holding <see cref="Encode"/>'s bytes (the built-in types that do not override
    /// <see cref="Write"/>), so that it can be written straight into a box on its way to the transport. A type of the
    /// application's may override <see cref="Write"/>, so it always goes through an <see cref="AmpBox"/>.
    /// </summary>
    internal virtual bool WritesDirectly => false;

    /// <summary>Adds the value's pair to a box being written; the built-in types override it to format in place.</summary>
    internal virtual void EncodeInto(T value, ref AmpBoxWriter writer, ReadOnlySpan<byte> key) => writer.Add(key, Encode(value));

    /// <summary>A required field of <typeparamref name="TRecord"/> sent under <paramref name="key"/>.</summary>
    public AmpField<TRecord, T> Field<TRecord>(string key, Func<TRecord, T> get) => new(key, this, get, optional: false);

    /// <summary>
    /// An optional field: a null value is left out of the box, and a missing key reads as null (AMP9). For a value
    /// type, make the type nullable first with <see cref="AmpType.Nullable{T}"/>.
    /// </summary>
    public AmpField<TRecord, T?> OptionalField<TRecord>(string key, Func<TRecord, T?> get) =>
        // For a reference type T? is T with a nullable annotation, and for a value type made nullable with
        // AmpType.Nullable it is T itself: either way the same runtime type as this.
        new(key, (AmpType<T?>)(object)this, get, optional: true);

    /// <summary>The type's name.</summary>
    public override string ToString() => Name;
}
