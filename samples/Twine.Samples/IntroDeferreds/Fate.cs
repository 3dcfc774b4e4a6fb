namespace Twine.Samples.IntroDeferreds;

using System.Diagnostics;

/// <summary>
/// "Intro to Python Asynchronous Programming and Twisted's Deferreds", "Fate": the tutorial's own toy event manager,
/// deliberately <em>not</em> Twine's reactor. It keeps a list of <see cref="Fuse"/>s; <see cref="Run"/> checks them
/// every 0.2 s and calls the handler of each fuse that has burned, until some handler calls <see cref="Shutdown"/>.
/// Everything runs on one thread, so handlers must return quickly: while one runs, nothing else happens.
/// </summary>
/// <remarks>
/// The pattern of a Fate program, as the tutorial lists it: initialise; set up at least one fuse with a handler; call
/// <see cref="Run"/>; handlers do the work and may light further fuses; eventually a handler calls
/// <see cref="Shutdown"/> and <see cref="Run"/> returns. "Twisted's reactor is approximately Fate, and a Deferred is
/// approximately a Fuse."
/// </remarks>
public sealed class Fate
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly double _timeScale;
    private readonly List<Fuse> _fuses = [];
    private bool _shutdown;

    /// <param name="timeScale">Scales every duration (1 = the tutorial's seconds; <c>--fast</c> uses 0.05).</param>
    public Fate(double timeScale = 1.0) => _timeScale = timeScale;

    /// <summary>The current time (the tutorial reads <c>time.time()</c>).</summary>
    public TimeSpan Now => _clock.Elapsed;

    /// <summary>A fuse that will be burned <paramref name="seconds"/> from now; set its handler to say what happens then.</summary>
    public Fuse GetFuse(double seconds)
    {
        var f = new Fuse(this);
        f.SetTime(Now + TimeSpan.FromSeconds(seconds * _timeScale));
        _fuses.Add(f);
        return f;
    }

    /// <summary>Removes every fuse that has a handler and is burned, and calls its handler.</summary>
    public void CheckFuses()
    {
        // The tutorial removes fuses from the very list it is looping over, which in Python silently skips the fuse
        // after each removed one (and in C# throws). Loop over a copy; handlers may add fuses to the real list.
        foreach (var fuse in _fuses.ToList())
        {
            if (fuse.HasHandler() && fuse.IsBurned())
            {
                _fuses.Remove(fuse);
                fuse.CallHandler();
            }
        }
    }

    /// <summary>The meat of Fate: every 0.2 s, check the fuses, until <see cref="Shutdown"/>.</summary>
    public void Run()
    {
        while (!_shutdown)
        {
            CheckFuses();
            Thread.Sleep(TimeSpan.FromSeconds(0.2 * _timeScale));
        }
    }

    /// <summary>Tells <see cref="Run"/> to return after the current check.</summary>
    public void Shutdown() => _shutdown = true;
}
