namespace Twine.Defer;

/// <summary>A Deferred was fired a second time (D1). In debug mode the message carries creator (<c> C:</c>) and first-invoker (<c> I:</c>) stacks (D10).</summary>
public sealed class AlreadyCalledException : InvalidOperationException
{
    /// <summary>Creates the exception with an optional debug message.</summary>
    public AlreadyCalledException(string? debugInfo = null)
        : base(debugInfo is null ? "The Deferred has already been fired." : "The Deferred has already been fired.\n" + debugInfo)
    {
        DebugInfo = debugInfo;
    }

    /// <summary>The creator and invoker stacks when <see cref="Deferred.Debug"/> was on; otherwise null.</summary>
    public string? DebugInfo { get; }
}

/// <summary>
/// The error a cancelled Deferred fails with (C1). It is an <see cref="OperationCanceledException"/>, so code written
/// against tasks recognises it.
/// </summary>
public class CancelledException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    public CancelledException() : base("The Deferred was cancelled.") { }

    /// <summary>Creates the exception with a message.</summary>
    public CancelledException(string message) : base(message) { }
}

/// <summary>A Deferred given a timeout with <c>AddTimeout</c> did not fire in time (T4).</summary>
public sealed class DeferredTimeoutException : TimeoutException
{
    /// <summary>Creates the exception for the given timeout.</summary>
    public DeferredTimeoutException(TimeSpan timeout)
        : base($"Deferred timed out after {timeout.TotalSeconds:0.###} seconds.")
    {
        Timeout = timeout;
    }

    /// <summary>The timeout that expired.</summary>
    public TimeSpan Timeout { get; }
}

/// <summary>
/// Callbacks were added through a <see cref="Deferred{T}"/> reference whose type the chain has already moved past:
/// an earlier callback changed the result type, so this reference no longer describes the chain's end.
/// </summary>
public sealed class StaleDeferredException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public StaleDeferredException(Type referenceType, Type chainType)
        : base($"This Deferred<{referenceType.Name}> reference is out of date: a callback changed the chain's result type to " +
               $"{chainType.Name}. Add further callbacks through the Deferred returned by that callback.")
    {
    }
}

/// <summary>
/// The first failure among a <c>DeferredList</c>'s inputs (U5, DL5): the sub-failure and the input's index.
/// </summary>
public sealed class FirstErrorException : Exception, IEquatable<FirstErrorException>
{
    /// <summary>Creates the exception.</summary>
    public FirstErrorException(Failure subFailure, int index)
        : base($"FirstError[#{index}, {subFailure.Type.Name}: {subFailure.GetErrorMessage()}]", subFailure.Value)
    {
        SubFailure = subFailure;
        Index = index;
    }

    /// <summary>The failure of the input that failed first.</summary>
    public Failure SubFailure { get; }

    /// <summary>The index of that input.</summary>
    public int Index { get; }

    /// <summary>Equal when indexes and sub-failure values are equal (U5).</summary>
    public bool Equals(FirstErrorException? other) =>
        other is not null && Index == other.Index && Equals(SubFailure.Value, other.SubFailure.Value);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is FirstErrorException o && Equals(o);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Index, SubFailure.Value);

    /// <inheritdoc />
    public override string ToString() => Message;
}
