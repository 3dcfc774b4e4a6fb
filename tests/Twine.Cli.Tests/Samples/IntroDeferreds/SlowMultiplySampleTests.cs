using Twine.Samples.IntroDeferreds;

namespace Twine.Cli.Tests.Samples.IntroDeferreds;

public sealed class SlowMultiplySampleTests
{
    [Fact]
    public void TheResultArrivesBeforeTheReactorStops()
    {
        var run = SampleRun.Fast(new SlowMultiplySample()).Succeeded();

        Assert.Equal(["Determining result of 5 * 7...", "... result is 35!"], run.Lines);
    }
}
