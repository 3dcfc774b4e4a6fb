namespace Twine.Defer;

/// <summary>
/// The rarely needed state of a root Deferred, kept out of the Deferred itself so that the common case (create,
/// add a few callbacks, fire) carries four fewer references. Created on the first write of any of these fields and
/// held in the field that, on a view, holds the root (so a <c>Deferred&lt;int&gt;</c> is 64 bytes); views never have one.
/// </summary>
internal sealed class DeferredExtras
{
    /// <summary>View holding the current success value once a callback changed the type; null means the root.</summary>
    public Deferred? Current;

    /// <summary>View that accepts new callbacks once a callback changed the type; null means the root.</summary>
    public Deferred? Tail;

    /// <summary>The Deferred this chain is waiting on (CH1, CH7), or the one that fires it (CH8).</summary>
    public Deferred? ChainedTo;

    /// <summary>The <c>Action&lt;Deferred&lt;T&gt;&gt;</c> given to the constructor (C1); typed by <see cref="Deferred{T}"/>.</summary>
    public Delegate? Canceller;

    /// <summary>
    /// Debug stacks and unhandled-failure tracking (D10, L1). A separate object because it has a finalizer, which
    /// makes allocating it slower; only a failing or debugged Deferred needs one.
    /// </summary>
    public DebugInfo? Debug;
}
