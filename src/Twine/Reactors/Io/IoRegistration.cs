namespace Twine.Reactors.Io;

/// <summary>
/// One descriptor registered with the reactor (<see cref="IIoLoop.RegisterIo"/>): set <see cref="Interest"/> to say
/// what readiness the handler wants, dispose to unregister. Reactor thread only.
/// </summary>
/// <remarks>
/// <para>Interest <see cref="IoEvents.None"/> keeps the registration but takes the descriptor out of the kernel's set.
/// That matters with level-triggered polling: a paused reader whose peer hung up would otherwise be woken for the
/// hang-up on every iteration and spin the loop.</para>
/// <para>Setting the interest it already has costs nothing, so a transport may set it freely (for example
/// <c>Interest |= IoEvents.Writable</c> on every short write).</para>
/// <para>Dispose <em>before</em> closing the descriptor: once the number is closed the kernel may hand it to the next
/// socket, and the backend could no longer remove the old entry.</para>
/// </remarks>
internal sealed class IoRegistration : IDisposable
{
    private readonly IoTable _table;

    internal IoRegistration(IoTable table, int fd, IIoHandler handler, uint generation)
    {
        _table = table;
        Fd = fd;
        Handler = handler;
        Generation = generation;
    }

    /// <summary>The registered descriptor.</summary>
    public int Fd { get; }

    /// <summary>Who is called when the descriptor is ready.</summary>
    public IIoHandler Handler { get; }

    /// <summary>Distinguishes this registration from earlier ones of the same descriptor number.</summary>
    internal uint Generation { get; }

    /// <summary>The token the backend carries for this registration: generation in the high half, descriptor in the low half.</summary>
    internal ulong Token => ((ulong)Generation << 32) | (uint)Fd;

    /// <summary>True until disposed (or unregistered because the reactor was disposed).</summary>
    public bool IsRegistered { get; internal set; } = true;

    /// <summary>True while the descriptor is in the backend's (kernel's) set, that is while <see cref="Interest"/> is not None.</summary>
    internal bool InBackend { get; set; }

    /// <summary>
    /// The readiness the handler wants: <see cref="IoEvents.Readable"/>, <see cref="IoEvents.Writable"/>, both, or
    /// <see cref="IoEvents.None"/>. Takes effect for the next poll; events already fetched for this iteration are
    /// filtered by the new interest before dispatch.
    /// </summary>
    public IoEvents Interest
    {
        get => CurrentInterest;
        set
        {
            if (value != CurrentInterest) _table.SetInterest(this, value);
        }
    }

    internal IoEvents CurrentInterest { get; set; }

    /// <summary>Unregisters the descriptor (idempotent). Does not close it.</summary>
    public void Dispose()
    {
        if (IsRegistered) _table.Unregister(this);
    }

    /// <inheritdoc />
    public override string ToString() => $"<IoRegistration fd={Fd} interest={CurrentInterest} handler={Handler}>";
}
