using Twine.Samples;

namespace Twine.Cli.Tests.Samples;

public sealed class SampleCatalogTests
{
    [Fact]
    public void EveryRowOfTheSpecIsASampleInTheTutorialsOrder()
    {
        // Every program the tutorials teach with, in the order the tutorials tell them (event-loop comes before
        // threads-ordered in "why promises").
        string[] expected =
        [
            "threads", "threads-flags", "event-loop", "threads-ordered", "observer-callbacks", "pyramid", "defer-chain",
            "returns-defer", "errbacks", "threads-defer",
            "fate", "fuse-chain", "slow-multiply", "firecracker", "getpage",
            "slow-square",
        ];

        Assert.Equal(expected, SampleCatalog.All.Select(s => s.Name));
    }

    [Fact]
    public void EverySampleSaysWhereItComesFromAndWhatItShows()
    {
        Assert.All(SampleCatalog.All, s =>
        {
            Assert.False(string.IsNullOrWhiteSpace(s.Summary), s.Name);
            Assert.False(string.IsNullOrWhiteSpace(s.Section), s.Name);
            Assert.Contains(s.Tutorial, new[] { Tutorial.WhyPromises, Tutorial.IntroDeferreds, Tutorial.Autobahn });
        });
        // Every sample of the tour can run now (getpage was the last to wait, for Twine's HTTP client).
        Assert.Empty(SampleCatalog.All.Where(s => s.Unavailable is not null).Select(s => s.Name));
    }

    [Fact]
    public void FindIsCaseInsensitiveAndReturnsNullForUnknownNames()
    {
        Assert.Same(SampleCatalog.All[0], SampleCatalog.Find("THREADS"));
        Assert.Null(SampleCatalog.Find("no-such-sample"));
    }
}
