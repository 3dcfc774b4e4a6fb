namespace Twine.Samples;

/// <summary>
/// One program from the tutorials Twine was written from (docs/design.md, "Sources"), ported to C#: its name on the
/// command line (<c>twine demo NAME</c>), where it comes from, and the program itself (<see cref="Run"/>).
/// </summary>
public abstract class Sample
{
    /// <summary>The exit code of a sample that cannot run yet (see <see cref="Unavailable"/>).</summary>
    public const int UnavailableExitCode = 3;

    /// <summary>The name on the command line: <c>twine demo threads-defer</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The tutorial this sample comes from.</summary>
    public abstract Tutorial Tutorial { get; }

    /// <summary>The tutorial's section, so the sample can be read side by side with it.</summary>
    public abstract string Section { get; }

    /// <summary>One line: what the sample shows.</summary>
    public abstract string Summary { get; }

    /// <summary>True when the output depends on <see cref="SampleContext.Seed"/> (random latencies or fuses).</summary>
    public virtual bool UsesRandomness => false;

    /// <summary>Why the sample cannot run yet (it needs a part of Twine that does not exist), or null when it can.</summary>
    public virtual string? Unavailable => null;

    /// <summary>
    /// Runs the program to its end, writing to <see cref="SampleContext.Out"/>, and returns its exit code (0: it did
    /// what the tutorial says). Blocks the calling thread: most samples run a reactor on it.
    /// </summary>
    public abstract int Run(SampleContext context);

    /// <inheritdoc />
    public override string ToString() => Name;
}
