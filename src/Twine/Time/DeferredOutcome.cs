using Twine.Defer;

namespace Twine.Time;

/// <summary>
/// Lets the schedulers in this namespace wait on a Deferred of any result type and take its result, the way
/// Twisted's LoopingCall and Cooperator add a callback that returns <c>None</c> (LC3, CO3): the observer learns
/// whether it succeeded, and the Deferred is left holding <c>default</c> and no failure, so a failure handed to us is
/// never reported as unhandled, and the Deferred's type, hence the caller's reference to it, stays valid.
/// </summary>
internal static class DeferredOutcome
{
    /// <summary>
    /// Calls <paramref name="onOutcome"/> with null on success or with the failure, once <paramref name="deferred"/>
    /// has a result (at once if it already has one), and consumes that result.
    /// </summary>
    /// <exception cref="StaleDeferredException"><paramref name="deferred"/> is not the end of its chain.</exception>
    internal static void Consume(Deferred deferred, Action<Failure?> onOutcome)
    {
        // Same rule as await and AddCallback: a reference the chain has moved past must not be extended.
        ChainEnd.Append(deferred, new ConsumeOutcomeLink(onOutcome));
    }
}
