namespace Twine.Cli;

/// <summary>The tool's exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>The command ran and failed (a sample returned non-zero or threw).</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong: unknown command, unknown sample, bad option value (the Unix usage code).</summary>
    public const int Usage = 2;

    /// <summary>The sample needs a part of Twine that does not exist yet.</summary>
    public const int Unavailable = Samples.Sample.UnavailableExitCode;
}
