namespace Twine.Time;

/// <summary>A delayed call was cancelled twice, or reset after being cancelled (DC2).</summary>
public sealed class AlreadyCancelledException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public AlreadyCancelledException() : base("The delayed call has already been cancelled.") { }
}

/// <summary>A delayed call was cancelled, reset or delayed after it had run (DC2).</summary>
public sealed class AlreadyCalledCallException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public AlreadyCalledCallException() : base("The delayed call has already been called.") { }
}
