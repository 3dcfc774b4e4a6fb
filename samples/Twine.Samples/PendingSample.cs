namespace Twine.Samples;

/// <summary>
/// A tutorial program that needs a part of Twine that does not exist yet. It is listed, so the tour shows what is
/// coming, but running it only says why it cannot run and returns <see cref="Sample.UnavailableExitCode"/>: a fake
/// would teach the wrong thing.
/// </summary>
/// <param name="name">The name on the command line.</param>
/// <param name="tutorial">The tutorial the program comes from.</param>
/// <param name="section">The tutorial's section.</param>
/// <param name="summary">One line: what the program will show.</param>
/// <param name="unavailable">Short: when it is coming ("coming with Twine's HTTP").</param>
/// <param name="needs">What exactly is missing, said when someone tries to run it.</param>
public sealed class PendingSample(string name, Tutorial tutorial, string section, string summary, string unavailable, string needs) : Sample
{
    public override string Name => name;
    public override Tutorial Tutorial => tutorial;
    public override string Section => section;
    public override string Summary => summary;
    public override string Unavailable => unavailable;

    public override int Run(SampleContext context)
    {
        context.WriteLine($"{Name} is not available yet: {Unavailable}. {needs}");
        return UnavailableExitCode;
    }
}
