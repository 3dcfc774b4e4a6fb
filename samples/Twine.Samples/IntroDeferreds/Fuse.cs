namespace Twine.Samples.IntroDeferreds;

/// <summary>
/// "Intro to Python Asynchronous Programming and Twisted's Deferreds", "Fate": a timed event. It knows when it will be
/// fully burned and what to call then. Get one from <see cref="Fate.GetFuse"/>, so that Fate checks it.
/// </summary>
public sealed class Fuse
{
    private readonly Fate _fate;
    private TimeSpan _time;
    private Action? _handler;

    // Only Fate makes fuses: one made any other way would never be checked.
    internal Fuse(Fate fate) => _fate = fate;

    /// <summary>Sets the time at which the fuse is fully burned.</summary>
    public void SetTime(TimeSpan time) => _time = time;

    /// <summary>Whether the burning time has passed (the tutorial's <c>self.time &lt; time.time()</c>).</summary>
    public bool IsBurned() => _time < _fate.Now;

    /// <summary>Sets what to call when the fuse is fully burned; the last handler set is the only one.</summary>
    public void SetHandler(Action handler) => _handler = handler;

    /// <summary>Whether a handler has been set.</summary>
    public bool HasHandler() => _handler is not null;

    /// <summary>Calls the handler.</summary>
    public void CallHandler() => _handler!();
}
