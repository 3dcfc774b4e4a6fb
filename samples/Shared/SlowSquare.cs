using Twine.Defer;
using Twine.Time;

namespace SquareSamples;

/// <summary>
/// The Autobahn tutorial's slow square, shared by the samples that serve it: x² after x units of reactor time, without
/// blocking the reactor, so calls made together finish in order of x rather than in the order they were made.
/// </summary>
/// <example>
/// <code>
/// long y = await SlowSquare.Compute(reactor, 3, TimeSpan.FromSeconds(0.5));   // 9, a second and a half later
/// </code>
/// </example>
internal static class SlowSquare
{
    /// <summary>x² after x units of <paramref name="time"/>; a negative x is refused (there is no negative delay).</summary>
    /// <exception cref="ArgumentOutOfRangeException">x is negative; the message says so.</exception>
    public static async Deferred<long> Compute(IReactorTime time, long x, TimeSpan unit)
    {
        if (x < 0) throw new ArgumentOutOfRangeException(null, $"cannot wait {x} units of time");
        await time.Sleep(unit * x);    // inlineCallbacks, the C# way: no thread blocks while it waits
        return x * x;
    }
}
