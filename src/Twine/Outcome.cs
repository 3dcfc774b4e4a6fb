namespace Twine;

/// <summary>
/// Either a value or a <see cref="Failure"/>: what <c>AddBoth</c> callbacks receive, and what
/// <c>DeferredList</c> reports per input (Twisted's <c>(success, result)</c> pairs).
/// </summary>
/// <example>
/// <code>
/// d.AddBoth(o => o.Succeeded ? $"got {o.Value}" : $"failed: {o.Failure!.GetErrorMessage()}");
/// </code>
/// </example>
public readonly struct Outcome<T>
{
    private readonly T _value;

    /// <summary>A success.</summary>
    public Outcome(T value) { _value = value; Failure = null; }

    /// <summary>A failure.</summary>
    public Outcome(Failure failure) { ArgumentNullException.ThrowIfNull(failure); _value = default!; Failure = failure; }

    /// <summary>True for a success.</summary>
    public bool Succeeded => Failure is null;

    /// <summary>The failure, or null for a success.</summary>
    public Failure? Failure { get; }

    /// <summary>The value; throws the failure's original exception for a failure.</summary>
    public T Value
    {
        get
        {
            Failure?.RaiseException();
            return _value;
        }
    }

    /// <summary>The value, or <c>default</c> for a failure.</summary>
    public T? ValueOrDefault => _value;

    /// <inheritdoc />
    public override string ToString() => Failure is null ? $"Success({_value})" : $"Failure({Failure.Type.Name}: {Failure.GetErrorMessage()})";
}
