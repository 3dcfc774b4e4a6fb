namespace Twine.Defer;

/// <summary>
/// Every input of <see cref="Deferred.FirstSuccess{T}(IEnumerable{Deferred{T}}, bool, bool)"/> failed, so there is no
/// first success to report. Twisted's <c>DeferredList(fireOnOneCallback=True)</c> fires with the list of failures
/// instead; a typed result cannot be both, so Twine fails with them.
/// </summary>
/// <example>
/// <code>
/// Deferred.FirstSuccess([mirrorA, mirrorB]).AddErrback(f =>
/// {
///     var all = f.Trap&lt;AllFailedException&gt;();
///     Console.WriteLine($"all {all.Failures.Count} mirrors failed");
///     return ("", -1);
/// });
/// </code>
/// </example>
public sealed class AllFailedException : AggregateException
{
    /// <summary>Creates the exception from the inputs' failures, in input order.</summary>
    public AllFailedException(IReadOnlyList<Failure> failures)
        : base("Every Deferred in the list failed.", (failures ?? throw new ArgumentNullException(nameof(failures))).Select(f => f.Value))
    {
        Failures = failures;
    }

    /// <summary>The inputs' failures, in input order.</summary>
    public IReadOnlyList<Failure> Failures { get; }
}
