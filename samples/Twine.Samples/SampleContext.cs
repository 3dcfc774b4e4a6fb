namespace Twine.Samples;

using Twine.Reactors;

/// <summary>
/// What a sample runs with: where it writes, how fast time goes, and the seed for anything random. Tests pass a
/// <see cref="StringWriter"/>, a small <see cref="TimeScale"/> and a fixed seed, and check what was written.
/// </summary>
public sealed class SampleContext
{
    /// <summary>The time scale of <c>--fast</c>: every delay is 5% of the tutorial's.</summary>
    public const double FastTimeScale = 0.05;

    /// <summary>Creates a context.</summary>
    /// <param name="output">Where the sample writes. Samples write from worker threads too, so writes are serialised.</param>
    /// <param name="timeScale">Multiplies every delay: 1 runs at the tutorial's pace, <see cref="FastTimeScale"/> is <c>--fast</c>.</param>
    /// <param name="seed">Seeds every random choice (latencies, fuse lengths), so a run can be repeated.</param>
    /// <param name="installSignalHandlers">Whether the samples' reactors stop cleanly on Ctrl-C (off in tests).</param>
    public SampleContext(TextWriter output, double timeScale = 1.0, int seed = 0, bool installSignalHandlers = true)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!(timeScale > 0 && timeScale <= 100)) throw new ArgumentOutOfRangeException(nameof(timeScale), timeScale, "The time scale must be in (0, 100].");
        Out = TextWriter.Synchronized(output);
        TimeScale = timeScale;
        Seed = seed;
        InstallSignalHandlers = installSignalHandlers;
    }

    /// <summary>Where the sample writes; safe to use from any thread.</summary>
    public TextWriter Out { get; }

    /// <summary>The factor applied to every delay.</summary>
    public double TimeScale { get; }

    /// <summary>The seed for the sample's random choices.</summary>
    public int Seed { get; }

    /// <summary>Whether reactors created by the sample install SIGINT/SIGTERM handlers.</summary>
    public bool InstallSignalHandlers { get; }

    /// <summary>The tutorial's <paramref name="seconds"/>, scaled by <see cref="TimeScale"/>.</summary>
    public TimeSpan Seconds(double seconds) => TimeSpan.FromSeconds(seconds * TimeScale);

    /// <summary>A random number generator seeded with <see cref="Seed"/> (the same sequence on every run).</summary>
    /// <remarks>
    /// The seed is hashed first: <see cref="Random(int)"/>'s first values for neighbouring seeds (1, 2, 3...) are
    /// strongly correlated, so <c>--seed 1</c>, <c>--seed 2</c>... would all light nearly the same fuse.
    /// </remarks>
    public Random NewRandom() => new(Mix(Seed));

    // MurmurHash3's 32-bit finaliser: neighbouring inputs give unrelated outputs.
    private static int Mix(int seed)
    {
        uint h = unchecked((uint)seed);
        h ^= h >> 16;
        h *= 0x85ebca6b;
        h ^= h >> 13;
        h *= 0xc2b2ae35;
        h ^= h >> 16;
        return unchecked((int)h);
    }

    /// <summary>Options for the sample's reactor.</summary>
    public ReactorOptions ReactorOptions => new() { InstallSignalHandlers = InstallSignalHandlers };

    /// <summary>Writes one line.</summary>
    public void WriteLine(string line) => Out.WriteLine(line);
}
