using Twine.Samples;

namespace Twine.Cli.Tests.Samples;

public sealed class PendingSampleTests
{
    [Fact]
    public void APendingSampleSaysWhyAndReturnsTheUnavailableCode()
    {
        // No sample of the tour is pending any more (getpage runs since Twine has an HTTP client); the mechanism stays
        // for the next tutorial program that needs a part of Twine that does not exist yet.
        var pending = new PendingSample("later", Tutorial.IntroDeferreds, "Beyond", "not yet", "coming with more Twine", "It needs more Twine.");

        var run = SampleRun.Fast(pending);

        Assert.Equal("coming with more Twine", pending.Unavailable);
        Assert.Equal(Sample.UnavailableExitCode, run.ExitCode);
        Assert.Equal("later is not available yet: coming with more Twine. It needs more Twine.", Assert.Single(run.Lines));
    }

    [Fact]
    public void GetPageIsNoLongerPending() => Assert.Null(SampleCatalog.Find("getpage")!.Unavailable);
}
