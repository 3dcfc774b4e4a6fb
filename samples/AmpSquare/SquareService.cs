using Twine.Defer;
using Twine.Protocols.Amp;
using Twine.Time;

namespace AmpSquare;

/// <summary>
/// The tutorials' slow-square service as an AMP command: <c>SlowSquare(x)</c> answers <c>x * x</c>, but only after
/// <c>x</c> units of time, without blocking the reactor. Calls made together are therefore answered in order of
/// <c>x</c>, not in the order they were made. The Twisted declaration is in square_client.py.
/// </summary>
public static class SquareService
{
    public sealed record SquareArgs(long X);

    public sealed record SquareResult(long Y);

    /// <summary>Squares of negative numbers are refused with a declared error (NEGATIVE): there is no negative delay.</summary>
    public static readonly AmpCommand<SquareArgs, SquareResult> SlowSquare = new(
        "SlowSquare",
        AmpSchema.Of(AmpType.Integer.Field("x", (SquareArgs a) => a.X), x => new SquareArgs(x)),
        AmpSchema.Of(AmpType.Integer.Field("y", (SquareResult r) => r.Y), y => new SquareResult(y)))
    {
        Errors = { { "NEGATIVE", message => new ArgumentOutOfRangeException(null, message) } },
    };

    /// <summary>The responders of the service: SlowSquare, computed by an async Deferred method on <paramref name="time"/>.</summary>
    public static AmpResponders Responders(IReactorTime time, TimeSpan unit) =>
        new AmpResponders().Add(SlowSquare, args => Compute(time, unit, args));

    private static async Deferred<SquareResult> Compute(IReactorTime time, TimeSpan unit, SquareArgs args) =>
        new(await SquareSamples.SlowSquare.Compute(time, args.X, unit));
}
