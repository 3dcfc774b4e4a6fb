namespace Twine.Tests.Processes;

/// <summary>
/// The process tests run one at a time and apart from every other test: they count this process's pipes and zombie
/// children, which tests running beside them would change.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection
{
    public const string Name = "Processes";
}
