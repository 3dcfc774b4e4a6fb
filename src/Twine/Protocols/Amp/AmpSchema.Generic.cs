namespace Twine.Protocols.Amp;

/// <summary>
/// How a record of <typeparamref name="T"/> becomes the keys of a box and back: a command's arguments, its response,
/// or the items of an <see cref="AmpType.AmpList{T}"/>. Build one with <see cref="AmpSchema.Of{TRecord, T1}"/>.
/// </summary>
/// <example>
/// <code>
/// AmpSchema&lt;SumArgs&gt; args = AmpSchema.Of(
///     AmpType.Integer.Field("a", (SumArgs s) => s.A),
///     AmpType.Integer.Field("b", (SumArgs s) => s.B),
///     (a, b) => new SumArgs(a, b));
/// </code>
/// </example>
/// <typeparam name="T">The record type.</typeparam>
public abstract class AmpSchema<T>
{
    /// <summary>The keys the schema writes (the first key of each field).</summary>
    public abstract IReadOnlyList<string> Keys { get; }

    /// <summary>Adds the fields of <paramref name="value"/> to <paramref name="box"/>.</summary>
    /// <exception cref="AmpArgumentException">A field is null where required or cannot be encoded.</exception>
    /// <exception cref="AmpTooLongException">An encoded value is longer than 65535 bytes.</exception>
    public abstract void Write(T value, AmpBox box);

    /// <summary>Builds a record from the fields in <paramref name="box"/>; keys it does not know are ignored (AMP9).</summary>
    /// <exception cref="AmpArgumentException">A required field is missing or malformed.</exception>
    public abstract T Read(AmpBox box);
}

/// <summary>A schema made of fields and a constructor: what <see cref="AmpSchema.Of{TRecord, T1}"/> builds.</summary>
internal sealed class FieldSchema<T> : AmpSchema<T>
{
    private readonly AmpField<T>[] _fields;
    private readonly Func<AmpBox, T> _read;

    public FieldSchema(AmpField<T>[] fields, Func<AmpBox, T> read)
    {
        foreach (var field in fields) ArgumentNullException.ThrowIfNull(field);
        var duplicate = fields.GroupBy(f => f.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Two fields use the key '{duplicate.Key}'.", nameof(fields));
        _fields = fields;
        _read = read;
        Keys = [.. fields.Select(f => f.Key)];
        // A field under a reserved key would collide with _ask, _answer or _command, which the box path resolves by
        // replacing one with the other; such odd schemas keep that path.
        WritesDirectly = fields.Length + 2 <= AmpBoxWriter.MaxPairs
            && fields.All(f => f.WritesDirectly && !IsReserved(f.Key));
    }

    private static bool IsReserved(string key) => key is AmpKeys.Ask or AmpKeys.Answer or AmpKeys.Command
        or AmpKeys.Error or AmpKeys.ErrorCode or AmpKeys.ErrorDescription;

    /// <summary>Whether records can be written straight to the transport by an <see cref="AmpBoxWriter"/>.</summary>
    internal bool WritesDirectly { get; }

    /// <summary><see cref="Write"/> into a box being written straight to the transport.</summary>
    internal void WriteDirect(T value, ref AmpBoxWriter writer)
    {
        if (value is null) throw new ArgumentNullException(nameof(value), "An AMP record cannot be null.");
        foreach (var field in _fields) field.WriteDirect(value, ref writer);
    }

    public override IReadOnlyList<string> Keys { get; }

    public override void Write(T value, AmpBox box)
    {
        if (value is null) throw new ArgumentNullException(nameof(value), "An AMP record cannot be null.");
        foreach (var field in _fields) field.Write(value, box);
    }

    public override T Read(AmpBox box) => _read(box);
}

/// <summary>A schema written by hand as a pair of functions.</summary>
internal sealed class CustomSchema<T>(IReadOnlyList<string> keys, Action<T, AmpBox> write, Func<AmpBox, T> read) : AmpSchema<T>
{
    public override IReadOnlyList<string> Keys => keys;

    public override void Write(T value, AmpBox box) => write(value, box);

    public override T Read(AmpBox box) => read(box);
}
