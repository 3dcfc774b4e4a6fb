using Twine.Samples;

namespace Twine.Cli.Tests.Samples;

public sealed class PendingSampleTests
{
    [Fact]
    public void GetPageSaysItIsComingWithHttpAndReturnsTheUnavailableCode()
    {
        var getPage = SampleCatalog.Find("getpage")!;

        var run = SampleRun.Fast(getPage);

        Assert.Equal("coming with Twine's HTTP", getPage.Unavailable);
        Assert.Equal(Sample.UnavailableExitCode, run.ExitCode);
        Assert.StartsWith("getpage is not available yet: coming with Twine's HTTP.", Assert.Single(run.Lines));
    }
}
