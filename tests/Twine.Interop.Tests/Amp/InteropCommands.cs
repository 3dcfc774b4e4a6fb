using System.Numerics;
using Twine.Defer;
using Twine.Protocols.Amp;

namespace Twine.Interop.Tests.Amp;

/// <summary>The commands of peers/amp_commands.py, declared in C#: same names, same keys, same types.</summary>
internal static class InteropCommands
{
    public sealed record Pair(long A, string B);

    public sealed record EchoValues(
        BigInteger I, byte[] S, string U, bool B, double F, AmpDecimal D, DateTimeOffset Dt,
        IReadOnlyList<long> Li, IReadOnlyList<string> Lu, IReadOnlyList<Pair> Al, string? Opt);

    public sealed record DivideArgs(long Numerator, long Denominator);

    public sealed record Quotient(long Value);

    public sealed record HoldArgs(long Id, long N);

    public sealed record HoldId(long Id);

    public sealed record BigArgs(byte[] Data, string Text);

    public sealed record BigResult(byte[] Data, string Text, long Size, string Sha);

    public sealed record NoteArgs(string Text);

    public sealed record NotesResult(IReadOnlyList<string> Notes);

    private static readonly AmpSchema<Pair> PairSchema = AmpSchema.Of(
        AmpType.Integer.Field("a", (Pair p) => p.A),
        AmpType.Unicode.Field("b", (Pair p) => p.B),
        (a, b) => new Pair(a, b));

    private static readonly AmpSchema<EchoValues> EchoSchema = AmpSchema.Of(
        AmpType.BigInteger.Field("i", (EchoValues v) => v.I),
        AmpType.String.Field("s", (EchoValues v) => v.S),
        AmpType.Unicode.Field("u", (EchoValues v) => v.U),
        AmpType.Boolean.Field("b", (EchoValues v) => v.B),
        AmpType.Float.Field("fl", (EchoValues v) => v.F),
        AmpType.Decimal.Field("d", (EchoValues v) => v.D),
        AmpType.DateTime.Field("dt", (EchoValues v) => v.Dt),
        AmpType.ListOf(AmpType.Integer).Field("li", (EchoValues v) => v.Li),
        AmpType.ListOf(AmpType.Unicode).Field("lu", (EchoValues v) => v.Lu),
        AmpType.AmpList(PairSchema).Field("al", (EchoValues v) => v.Al),
        AmpType.Unicode.OptionalField("opt", (EchoValues v) => v.Opt),
        (i, s, u, b, f, d, dt, li, lu, al, opt) => new EchoValues(i, s, u, b, f, d, dt, li, lu, al, opt));

    public static readonly AmpCommand<EchoValues, EchoValues> Echo = new("Echo", EchoSchema, EchoSchema);

    public static readonly AmpCommand<DivideArgs, Quotient> Divide = new(
        "Divide",
        AmpSchema.Of(
            AmpType.Integer.Field("numerator", (DivideArgs a) => a.Numerator),
            AmpType.Integer.Field("denominator", (DivideArgs a) => a.Denominator),
            (n, d) => new DivideArgs(n, d)),
        AmpSchema.Of(AmpType.Integer.Field("quotient", (Quotient q) => q.Value), q => new Quotient(q)))
    {
        Errors = { { "ZERO_DIVISION", message => new DivideByZeroException(message) } },
    };

    public static readonly AmpCommand<HoldArgs, HoldId> Hold = new(
        "Hold",
        AmpSchema.Of(
            AmpType.Integer.Field("id", (HoldArgs a) => a.Id),
            AmpType.Integer.Field("n", (HoldArgs a) => a.N),
            (id, n) => new HoldArgs(id, n)),
        AmpSchema.Of(AmpType.Integer.Field("id", (HoldId h) => h.Id), id => new HoldId(id)));

    public static readonly AmpCommand<BigArgs, BigResult> Big = new(
        "Big",
        AmpSchema.Of(
            AmpType.BigString.Field("data", (BigArgs a) => a.Data),
            AmpType.BigUnicode.Field("text", (BigArgs a) => a.Text),
            (data, text) => new BigArgs(data, text)),
        AmpSchema.Of(
            AmpType.BigString.Field("data", (BigResult r) => r.Data),
            AmpType.BigUnicode.Field("text", (BigResult r) => r.Text),
            AmpType.Integer.Field("size", (BigResult r) => r.Size),
            AmpType.Unicode.Field("sha", (BigResult r) => r.Sha),
            (data, text, size, sha) => new BigResult(data, text, size, sha)));

    public static readonly AmpCommand<NoteArgs, Unit> Note = new(
        "Note",
        AmpSchema.Of(AmpType.Unicode.Field("text", (NoteArgs n) => n.Text), t => new NoteArgs(t)),
        AmpSchema.Empty)
    {
        RequiresAnswer = false,
    };

    public static readonly AmpCommand<Unit, NotesResult> Notes = new(
        "Notes",
        AmpSchema.Empty,
        AmpSchema.Of(AmpType.ListOf(AmpType.Unicode).Field("notes", (NotesResult r) => r.Notes), n => new NotesResult(n)));

    public static readonly AmpCommand<Unit, Unit> Nope = new("Nope", AmpSchema.Empty, AmpSchema.Empty);
}
