namespace Twine;

/// <summary>
/// The value of a Deferred that carries no value. A value-less chain is a <c>Deferred&lt;Unit&gt;</c>, which is
/// also a <c>Deferred</c>, the type <c>async Deferred</c> methods return.
/// </summary>
public readonly record struct Unit
{
    /// <summary>The one value.</summary>
    public static readonly Unit Value;

    /// <inheritdoc />
    public override string ToString() => "()";
}
