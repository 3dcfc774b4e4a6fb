namespace Twine.Protocols.Amp;

/// <summary>One named field of a record that travels in an AMP box: its key, its type, and how to read it from the record.</summary>
/// <example>
/// <code>
/// AmpField&lt;SumArgs, long&gt; a = AmpType.Integer.Field("a", (SumArgs s) => s.A);
/// </code>
/// </example>
/// <typeparam name="TRecord">The record the field belongs to.</typeparam>
public abstract class AmpField<TRecord>
{
    private protected AmpField(string key, bool optional)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (key.Length > AmpBox.MaxKeyLength) throw new AmpTooLongException(isKey: true, isLocal: true, key.Length, key);
        Key = key;
        Optional = optional;
        // A key with a character above U+00FF cannot be written (AmpBox.Set refuses it): such a field takes the box path and fails there.
        KeyBytes = key.All(c => c <= '\u00FF') ? System.Text.Encoding.Latin1.GetBytes(key) : null;
    }

    /// <summary>The key in the box (Twisted's argument name, exactly as on the wire).</summary>
    public string Key { get; }

    /// <summary>Whether the field may be left out: null is not sent, and a missing key reads as null (AMP9).</summary>
    public bool Optional { get; }

    /// <summary>The key as it goes on the wire, or null when it cannot (a character above U+00FF).</summary>
    internal byte[]? KeyBytes { get; }

    /// <summary>Whether the field can be written by an <see cref="AmpBoxWriter"/> (see <see cref="AmpType{T}.WritesDirectly"/>).</summary>
    internal abstract bool WritesDirectly { get; }

    internal abstract void Write(TRecord record, AmpBox box);

    /// <summary><see cref="Write(TRecord, AmpBox)"/> into a box being written straight to the transport; the same checks and errors.</summary>
    internal abstract void WriteDirect(TRecord record, ref AmpBoxWriter writer);
}

/// <summary>A field of <typeparamref name="TRecord"/> whose values are <typeparamref name="T"/>. Made by <see cref="AmpType{T}.Field{TRecord}"/>.</summary>
/// <example>
/// <code>
/// var name = AmpType.Unicode.OptionalField("name", (Person p) => p.Name);   // may be null
/// </code>
/// </example>
/// <typeparam name="TRecord">The record the field belongs to.</typeparam>
/// <typeparam name="T">The field's value type.</typeparam>
public sealed class AmpField<TRecord, T> : AmpField<TRecord>
{
    private readonly AmpType<T> _type;
    private readonly Func<TRecord, T> _get;

    internal AmpField(string key, AmpType<T> type, Func<TRecord, T> get, bool optional) : base(key, optional)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(get);
        _type = type;
        _get = get;
    }

    /// <summary>The field's type.</summary>
    public AmpType<T> Type => _type;

    internal override bool WritesDirectly => _type.WritesDirectly && KeyBytes is not null;

    internal override void WriteDirect(TRecord record, ref AmpBoxWriter writer)
    {
        var value = _get(record);
        if (value is null)
        {
            if (Optional) return;
            throw new AmpArgumentException(Key, $"it is null and the field is not optional");
        }
        try
        {
            _type.EncodeInto(value, ref writer, KeyBytes);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            throw new AmpArgumentException(Key, $"{_type.Name} cannot encode it: {e.Message}", e);
        }
    }

    internal override void Write(TRecord record, AmpBox box)
    {
        var value = _get(record);
        if (value is null)
        {
            if (Optional) return;
            throw new AmpArgumentException(Key, $"it is null and the field is not optional");
        }
        try
        {
            _type.Write(box, Key, value);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            throw new AmpArgumentException(Key, $"{_type.Name} cannot encode it: {e.Message}", e);
        }
    }

    /// <summary>The field's value in <paramref name="box"/> (AMP9: a missing required key is an error).</summary>
    /// <exception cref="AmpArgumentException">The key is missing and the field is required, or its value is malformed.</exception>
    public T Read(AmpBox box)
    {
        bool found;
        T value;
        try
        {
            found = _type.TryRead(box, Key, out value);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            throw new AmpArgumentException(Key, e.Message, e);
        }
        if (found) return value;
        if (Optional) return default!;
        throw new AmpArgumentException(Key, "the box has no such key");
    }
}
