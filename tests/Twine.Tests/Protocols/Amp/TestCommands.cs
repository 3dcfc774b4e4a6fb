using Twine.Defer;
using Twine.Protocols.Amp;

namespace Twine.Tests.Protocols.Amp;

/// <summary>Commands the protocol tests call, after the ones in Twisted's test_amp (Hello, Sum, a fatal error, no answer).</summary>
internal static class TestCommands
{
    public sealed record SumArgs(long A, long B);

    public sealed record Total(long Value);

    public sealed record Greeting(string Hello, string? Optional = null);

    public sealed class TeapotException(string message) : Exception(message);

    public sealed class MeltdownException(string message) : Exception(message);

    public static readonly AmpCommand<SumArgs, Total> Sum = new(
        "Sum",
        AmpSchema.Of(
            AmpType.Integer.Field("a", (SumArgs s) => s.A),
            AmpType.Integer.Field("b", (SumArgs s) => s.B),
            (a, b) => new SumArgs(a, b)),
        AmpSchema.Of(AmpType.Integer.Field("total", (Total t) => t.Value), v => new Total(v)))
    {
        Errors = { { "TEAPOT", m => new TeapotException(m) } },
        FatalErrors = { { "MELTDOWN", m => new MeltdownException(m) } },
    };

    public static readonly AmpSchema<Greeting> GreetingSchema = AmpSchema.Of(
        AmpType.Unicode.Field("hello", (Greeting g) => g.Hello),
        AmpType.Unicode.OptionalField("optional", (Greeting g) => g.Optional),
        (hello, optional) => new Greeting(hello, optional));

    public static readonly AmpCommand<Greeting, Greeting> Hello = new("Hello", GreetingSchema, GreetingSchema);

    public static readonly AmpCommand<Greeting, Unit> Shout = new("Shout", GreetingSchema, AmpSchema.Empty) { RequiresAnswer = false };

    public static readonly AmpCommand<Unit, Unit> Missing = new("Missing", AmpSchema.Empty, AmpSchema.Empty);
}
