namespace Twine.Defer;

/// <summary>The three states of a <see cref="Promise{T}"/> (Promises/A+ 2.1). A settled promise never changes state again.</summary>
/// <example>
/// <code>
/// var p = Promise.Resolve(1, soon);
/// Console.WriteLine(p.State);   // Fulfilled
/// </code>
/// </example>
public enum PromiseState
{
    /// <summary>Not settled yet: may become fulfilled or rejected (2.1.1).</summary>
    Pending,
    /// <summary>Settled with a value (2.1.2).</summary>
    Fulfilled,
    /// <summary>Settled with a reason, a <see cref="Failure"/> (2.1.3).</summary>
    Rejected,
}
