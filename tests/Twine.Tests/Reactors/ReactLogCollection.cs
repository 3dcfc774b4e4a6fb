namespace Twine.Tests.Reactors;

/// <summary>
/// The tests that run <c>React</c> and read its "main function encountered error" log lines, or install real signal
/// handlers. Twine's log and the process's signals are process-wide, so these must not run in parallel with each
/// other: one test would count another's lines, or a signal sent by one would stop another's reactor.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ReactLogCollection
{
    public const string Name = "React's process-wide log";
}
