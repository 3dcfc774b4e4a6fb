namespace Twine.Tests.Reactors;

/// <summary>
/// The tests that run <c>React</c> and read its "main function encountered error" log lines. Twine's log is
/// process-wide, so they must not run in parallel with each other, or one test would count another's lines.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ReactLogCollection
{
    public const string Name = "React's process-wide log";
}
