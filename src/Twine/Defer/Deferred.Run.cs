namespace Twine.Defer;

public abstract partial class Deferred
{
    /// <summary>
    /// Runs the chain's pending links (D3–D6). Chaining is processed iteratively with an explicit stack (CH6): when
    /// an inner Deferred's continuation hands its result to an outer one, the outer chain is pushed and processed
    /// here rather than by a nested call, so the stack depth does not grow with the number of chained Deferreds.
    /// </summary>
    internal void RunCallbacks()
    {
        // A link that adds to its own chain appends; the loop below picks the addition up (D6).
        if ((_flags & Flags.Running) != 0) return;

        Deferred current = this;
        List<Deferred>? stack = null;
        while (true)
        {
            Deferred? resumed = null;
            // A resumed outer chain that is itself in the middle of a link (a link fired the inner Deferred it was
            // waiting on) picks its remaining links up in its own loop once that link returns (D6).
            if (current._paused == 0 && (current._flags & Flags.Running) == 0)
            {
                if (current.ExtrasOrNull is { } extras) extras.ChainedTo = null;
                resumed = current.RunLinks();
                // Stopped with no continuation to follow: out of links, or paused by a callback. Either way the
                // result stays put for now, so a failure in it is what would go unhandled (L1).
                if (resumed is null && (current._failure is not null || !current.IsPlainRoot)) current.NoteSettled();
            }

            if (resumed is not null)
            {
                // The inner chain (current) may still have callbacks added after the chaining: come back to it.
                (stack ??= new List<Deferred>()).Add(current);
                current = resumed;
                continue;
            }
            if (stack is null || stack.Count == 0) return;
            current = stack[^1];
            stack.RemoveAt(stack.Count - 1);
        }
    }

    /// <summary>
    /// Runs this chain's links until they run out, one pauses the chain, or one hands its result to an outer chain
    /// (returned). The hot loop of every Deferred, so it avoids the costs a profile showed there: the running flag is
    /// set once for the whole run rather than around each link, and <see cref="_first"/> is not rewritten (a
    /// GC write barrier) after each link. While the loop runs, <see cref="_first"/> may still point at links already
    /// run; nothing reads it then (<see cref="IsSettled"/> and <see cref="RunCallbacks"/> see the running flag,
    /// <see cref="Append"/> uses <see cref="_last"/>), and it is set right before the loop returns.
    /// </summary>
    private Deferred? RunLinks()
    {
        Deferred? resumed = null;
        Link? remaining = _first;
        _flags |= Flags.Running;
        try
        {
            while (remaining is { } link)
            {
                remaining = link.Next;
                if (remaining is null)
                {
                    // The last link: empty the list, so links it adds (D6), or a reused link it re-adds to this or
                    // another chain, start a fresh list instead of hanging off this one.
                    _first = null;
                    _last = null;
                }
                else
                {
                    link.Next = null;
                }
                resumed = link.Run(this);
                remaining ??= _first;
                if (resumed is not null || _paused > 0)
                {
                    if (ReferenceEquals(resumed, Link.Again))
                    {
                        // The link has work left for after the pause: back to the head of the list.
                        resumed = null;
                        link.Next = remaining;
                        remaining = link;
                        if (_last is null) _last = link;
                    }
                    break;
                }
            }
        }
        finally
        {
            _flags &= ~Flags.Running;
            // Null needs no write: then the list was emptied at its last link and _first already holds whatever
            // was added since.
            if (remaining is not null) _first = remaining;
        }
        return resumed;
    }

    /// <summary>The chain ran out of callbacks: remember an unhandled failure, or forget a handled one (L1, L2).</summary>
    private void NoteSettled()
    {
        if (_failure is not null) (Extras.Debug ??= new DebugInfo(captureCreator: false)).SetFailure(_failure);
        else DebugRecord?.ClearFailure();
    }
}
