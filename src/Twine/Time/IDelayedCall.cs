namespace Twine.Time;

/// <summary>A call scheduled with <see cref="IReactorTime.CallLater(TimeSpan, Action)"/> (DC1–DC7).</summary>
public interface IDelayedCall
{
    /// <summary>When the call is due (DC1).</summary>
    TimeSpan Time { get; }

    /// <summary>True until the call has run or been cancelled (DC1).</summary>
    bool IsActive { get; }

    /// <summary>True once the call has started running (set before it runs, DC2).</summary>
    bool Called { get; }

    /// <summary>True once cancelled.</summary>
    bool Cancelled { get; }

    /// <summary>Stops the call from running. Throws <see cref="AlreadyCancelledException"/> or <see cref="AlreadyCalledCallException"/> (DC2).</summary>
    void Cancel();

    /// <summary>Makes the call due <paramref name="delay"/> from now (DC3).</summary>
    void Reset(TimeSpan delay);

    /// <summary>Moves the call later (or earlier, for a negative value) by <paramref name="delay"/> (DC4).</summary>
    void Delay(TimeSpan delay);
}
