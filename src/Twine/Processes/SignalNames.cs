namespace Twine.Processes;

/// <summary>
/// Signal names as Twisted's <c>signalProcess</c> takes them ("TERM", "KILL", ...) and their numbers on this OS: Linux's,
/// or the BSDs' and macOS's where USR1, USR2, STOP and CONT differ. Windows has no signals; its names parse to Linux's
/// numbers so the portable layer can tell KILL and TERM apart.
/// </summary>
internal static class SignalNames
{
    private static readonly Dictionary<string, int> Numbers = OperatingSystem.IsLinux() || OperatingSystem.IsWindows()
        ? new(StringComparer.OrdinalIgnoreCase)
        {
            ["HUP"] = 1, ["INT"] = 2, ["QUIT"] = 3, ["KILL"] = 9, ["USR1"] = 10, ["USR2"] = 12, ["PIPE"] = 13,
            ["ALRM"] = 14, ["TERM"] = 15, ["CONT"] = 18, ["STOP"] = 19,
        }
        : new(StringComparer.OrdinalIgnoreCase)
        {
            ["HUP"] = 1, ["INT"] = 2, ["QUIT"] = 3, ["KILL"] = 9, ["USR1"] = 30, ["USR2"] = 31, ["PIPE"] = 13,
            ["ALRM"] = 14, ["TERM"] = 15, ["CONT"] = 19, ["STOP"] = 17,
        };

    /// <summary>SIGKILL (9 everywhere).</summary>
    public const int Kill = 9;

    /// <summary>SIGTERM (15 everywhere).</summary>
    public const int Term = 15;

    /// <summary>The number of <paramref name="name"/>, with or without a "SIG" prefix.</summary>
    /// <exception cref="ArgumentException">Not a known name.</exception>
    public static int Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string bare = name.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? name[3..] : name;
        return Numbers.TryGetValue(bare, out int number)
            ? number
            : throw new ArgumentException($"Unknown signal name \"{name}\"; use one of {string.Join(", ", Numbers.Keys)} or a number.", nameof(name));
    }
}
