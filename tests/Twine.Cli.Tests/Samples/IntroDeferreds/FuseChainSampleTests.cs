using Twine.Samples.IntroDeferreds;

namespace Twine.Cli.Tests.Samples.IntroDeferreds;

public sealed class FuseChainSampleTests
{
    [Fact]
    public void EightFusesIgniteOneAfterAnotherThenParliamentExplodes()
    {
        var run = SampleRun.Fast(new FuseChainSample()).Succeeded();

        Assert.Equal([.. Enumerable.Repeat("...igniting next fuse in chain...", 8), "Boom! The Houses of Parliament explode!"], run.Lines);
    }
}
