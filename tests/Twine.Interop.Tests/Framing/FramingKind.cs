namespace Twine.Interop.Tests.Framing;

/// <summary>The three framings checked against Twisted; the peer scripts take the same names on their command line.</summary>
public enum FramingKind
{
    Lines,
    Netstrings,
    Int32,
}

internal static class FramingKindNames
{
    /// <summary>The name the peer scripts use for this framing.</summary>
    public static string PeerName(this FramingKind kind) => kind switch
    {
        FramingKind.Lines => "lines",
        FramingKind.Netstrings => "netstrings",
        FramingKind.Int32 => "int32",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The largest message both Twisted and Twine accept with default settings (LR1, NS1, IN2).</summary>
    public static int MaxLength(this FramingKind kind) => kind == FramingKind.Lines ? 16384 : 99999;
}
