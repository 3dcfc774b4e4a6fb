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
                current.Chained = null;
                while (current._first is { } link)
                {
                    current._first = link.Next;
                    if (current._first is null) current._last = null;
                    link.Next = null;
                    current._flags |= Flags.Running;
                    try
                    {
                        resumed = link.Run(current);
                    }
                    finally
                    {
                        current._flags &= ~Flags.Running;
                    }
                    if (resumed is not null || current._paused > 0) break;
                }
                // Stopped with no continuation to follow: out of links, or paused by a callback. Either way the
                // result stays put for now, so a failure in it is what would go unhandled (L1).
                if (resumed is null) current.NoteSettled();
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

    /// <summary>The chain ran out of callbacks: remember an unhandled failure, or forget a handled one (L1, L2).</summary>
    private void NoteSettled()
    {
        if (_failure is not null) (Extras.Debug ??= new DebugInfo(captureCreator: false)).SetFailure(_failure);
        else DebugRecord?.ClearFailure();
    }
}
