using Twine.Samples.WhyPromises;

namespace Twine.Cli.Tests.Samples.WhyPromises;

public sealed class DeferChainSampleTests
{
    [Fact]
    public void ThreeCallbackPairsRunInOrderOnlyWhenTheDeferredFires()
    {
        var run = SampleRun.Fast(new DeferChainSample()).Succeeded();

        // D2/D3: pairs run in order, and only once the Deferred is fired (after "processing").
        Assert.Equal(["program starts", "processing", "call-back 1 done", "call-back 2 done", "call-back 3 done"], run.Lines);
    }
}
