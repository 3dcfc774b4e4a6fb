using Twine.Defer;

namespace Twine.Protocols.Amp;

/// <summary>
/// Builds <see cref="AmpSchema{T}"/>s: a list of fields, each with its key, type and getter, plus the constructor that
/// makes a record from the field values, in the same order. Typed throughout and free of reflection, so it works
/// trimmed and ahead-of-time compiled.
/// </summary>
/// <example>
/// <code>
/// public sealed record SumArgs(long A, long B);
///
/// AmpSchema&lt;SumArgs&gt; args = AmpSchema.Of(
///     AmpType.Integer.Field("a", (SumArgs s) => s.A),
///     AmpType.Integer.Field("b", (SumArgs s) => s.B),
///     (a, b) => new SumArgs(a, b));
///
/// AmpSchema&lt;Unit&gt; nothing = AmpSchema.Empty;   // a command without arguments, or with an empty response
/// </code>
/// </example>
public static class AmpSchema
{
    /// <summary>No fields: an empty box, read as <see cref="Unit.Value"/>.</summary>
    public static AmpSchema<Unit> Empty { get; } = new FieldSchema<Unit>([], static _ => Unit.Value);

    /// <summary>A schema written by hand: <paramref name="write"/> adds the fields to a box, <paramref name="read"/> builds the record.</summary>
    public static AmpSchema<T> Custom<T>(IReadOnlyList<string> keys, Action<T, AmpBox> write, Func<AmpBox, T> read)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(read);
        return new CustomSchema<T>(keys, write, read);
    }

    /// <summary>A schema of 1 field; <paramref name="create"/> gets the values in field order.</summary>
    public static AmpSchema<TRecord> Of<TRecord, T1>(AmpField<TRecord, T1> f1, Func<T1, TRecord> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        return new FieldSchema<TRecord>([f1], box => create(f1.Read(box)));
    }

    /// <summary>A schema of 2 fields; <paramref name="create"/> gets the values in field order.</summary>
    public static AmpSchema<TRecord> Of<TRecord, T1, T2>(AmpField<TRecord, T1> f1, AmpField<TRecord, T2> f2, Func<T1, T2, TRecord> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        return new FieldSchema<TRecord>([f1, f2], box => create(f1.Read(box), f2.Read(box)));
    }

    /// <summary>A schema of 3 fields; <paramref name="create"/> gets the values in field order.</summary>
    public static AmpSchema<TRecord> Of<TRecord, T1, T2, T3>(AmpField<TRecord, T1> f1, AmpField<TRecord, T2> f2, AmpField<TRecord, T3> f3, Func<T1, T2, T3, TRecord> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        return new FieldSchema<TRecord>([f1, f2, f3], box => create(f1.Read(box), f2.Read(box), f3.Read(box)));
    }

    /// <summary>A schema of 4 fields; <paramref name="create"/> gets the values in field order.</summary>
    public static AmpSchema<TRecord> Of<TRecord, T1, T2, T3, T4>(AmpField<TRecord, T1> f1, AmpField<TRecord, T2> f2, AmpField<TRecord, T3> f3, AmpField<TRecord, T4> f4, Func<T1, T2, T3, T4, TRecord> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        return new FieldSchema<TRecord>([f1, f2, f3, f4], box => create(f1.Read(box), f2.Read(box), f3.Read(box), f4.Read(box)));
    }

    /// <summary>A schema of 5 fields; <paramref name="create"/> gets the values in field order.</summary>
    public static AmpSchema<TRecord> Of<TRecord, T1, T2, T3, T4, T5>(AmpField<TRecord, T1> f1, AmpField<TRecord, T2> f2, AmpField<TRecord, T3> f3, AmpField<TRecord, T4> f4, AmpField<TRecord, T5> f5, Func<T1, T2, T3, T4, T5, TRecord> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        return new FieldSchema<TRecord>([f1, f2, f3, f4, f5], box => create(f1.Read(box), f2.Read(box), f3.Read(box), f4.Read(box), f5.Read(box)));
    }

    /// <summary>A schema of 6 fields; <paramref name="create"/> gets the values in field order.</summary>
    public static AmpSchema<TRecord> Of<TRecord, T1, T2, T3, T4, T5, T6>(AmpField<TRecord, T1> f1, AmpField<TRecord, T2> f2, AmpField<TRecord, T3> f3, AmpField<TRecord, T4> f4, AmpField<TRecord, T5> f5, AmpField<TRecord, T6> f6, Func<T1, T2, T3, T4, T5, T6, TRecord> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        return new FieldSchema<TRecord>([f1, f2, f3, f4, f5, f6], box => create(f1.Read(box), f2.Read(box), f3.Read(box), f4.Read(box), f5.Read(box), f6.Read(box)));
    }

    /// <summary>A schema of 7 fields; <paramref name="create"/> gets the values in field order.</summary>
    public static AmpSchema<TRecord> Of<TRecord, T1, T2, T3, T4, T5, T6, T7>(AmpField<TRecord, T1> f1, AmpField<TRecord, T2> f2, AmpField<TRecord, T3> f3, AmpField<TRecord, T4> f4, AmpField<TRecord, T5> f5, AmpField<TRecord, T6> f6, AmpField<TRecord, T7> f7, Func<T1, T2, T3, T4, T5, T6, T7, TRecord> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        return new FieldSchema<TRecord>([f1, f2, f3, f4, f5, f6, f7], box => create(f1.Read(box), f2.Read(box), f3.Read(box), f4.Read(box), f5.Read(box), f6.Read(box), f7.Read(box)));
    }

    /// <summary>A schema of 8 fields; <paramref name="create"/> gets the values in field order.</summary>
    public static AmpSchema<TRecord> Of<TRecord, T1, T2, T3, T4, T5, T6, T7, T8>(AmpField<TRecord, T1> f1, AmpField<TRecord, T2> f2, AmpField<TRecord, T3> f3, AmpField<TRecord, T4> f4, AmpField<TRecord, T5> f5, AmpField<TRecord, T6> f6, AmpField<TRecord, T7> f7, AmpField<TRecord, T8> f8, Func<T1, T2, T3, T4, T5, T6, T7, T8, TRecord> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        return new FieldSchema<TRecord>([f1, f2, f3, f4, f5, f6, f7, f8], box => create(f1.Read(box), f2.Read(box), f3.Read(box), f4.Read(box), f5.Read(box), f6.Read(box), f7.Read(box), f8.Read(box)));
    }

    /// <summary>A schema of 9 fields; <paramref name="create"/> gets the values in field order.</summary>
    public static AmpSchema<TRecord> Of<TRecord, T1, T2, T3, T4, T5, T6, T7, T8, T9>(AmpField<TRecord, T1> f1, AmpField<TRecord, T2> f2, AmpField<TRecord, T3> f3, AmpField<TRecord, T4> f4, AmpField<TRecord, T5> f5, AmpField<TRecord, T6> f6, AmpField<TRecord, T7> f7, AmpField<TRecord, T8> f8, AmpField<TRecord, T9> f9, Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, TRecord> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        return new FieldSchema<TRecord>([f1, f2, f3, f4, f5, f6, f7, f8, f9], box => create(f1.Read(box), f2.Read(box), f3.Read(box), f4.Read(box), f5.Read(box), f6.Read(box), f7.Read(box), f8.Read(box), f9.Read(box)));
    }

    /// <summary>A schema of 10 fields; <paramref name="create"/> gets the values in field order.</summary>
    public static AmpSchema<TRecord> Of<TRecord, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10>(AmpField<TRecord, T1> f1, AmpField<TRecord, T2> f2, AmpField<TRecord, T3> f3, AmpField<TRecord, T4> f4, AmpField<TRecord, T5> f5, AmpField<TRecord, T6> f6, AmpField<TRecord, T7> f7, AmpField<TRecord, T8> f8, AmpField<TRecord, T9> f9, AmpField<TRecord, T10> f10, Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, TRecord> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        return new FieldSchema<TRecord>([f1, f2, f3, f4, f5, f6, f7, f8, f9, f10], box => create(f1.Read(box), f2.Read(box), f3.Read(box), f4.Read(box), f5.Read(box), f6.Read(box), f7.Read(box), f8.Read(box), f9.Read(box), f10.Read(box)));
    }

    /// <summary>A schema of 11 fields; <paramref name="create"/> gets the values in field order.</summary>
    public static AmpSchema<TRecord> Of<TRecord, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11>(AmpField<TRecord, T1> f1, AmpField<TRecord, T2> f2, AmpField<TRecord, T3> f3, AmpField<TRecord, T4> f4, AmpField<TRecord, T5> f5, AmpField<TRecord, T6> f6, AmpField<TRecord, T7> f7, AmpField<TRecord, T8> f8, AmpField<TRecord, T9> f9, AmpField<TRecord, T10> f10, AmpField<TRecord, T11> f11, Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, TRecord> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        return new FieldSchema<TRecord>([f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11], box => create(f1.Read(box), f2.Read(box), f3.Read(box), f4.Read(box), f5.Read(box), f6.Read(box), f7.Read(box), f8.Read(box), f9.Read(box), f10.Read(box), f11.Read(box)));
    }

    /// <summary>A schema of 12 fields; <paramref name="create"/> gets the values in field order.</summary>
    public static AmpSchema<TRecord> Of<TRecord, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12>(AmpField<TRecord, T1> f1, AmpField<TRecord, T2> f2, AmpField<TRecord, T3> f3, AmpField<TRecord, T4> f4, AmpField<TRecord, T5> f5, AmpField<TRecord, T6> f6, AmpField<TRecord, T7> f7, AmpField<TRecord, T8> f8, AmpField<TRecord, T9> f9, AmpField<TRecord, T10> f10, AmpField<TRecord, T11> f11, AmpField<TRecord, T12> f12, Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, TRecord> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        return new FieldSchema<TRecord>([f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12], box => create(f1.Read(box), f2.Read(box), f3.Read(box), f4.Read(box), f5.Read(box), f6.Read(box), f7.Read(box), f8.Read(box), f9.Read(box), f10.Read(box), f11.Read(box), f12.Read(box)));
    }
}
