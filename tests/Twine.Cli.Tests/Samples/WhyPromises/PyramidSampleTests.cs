using Twine.Samples.WhyPromises;

namespace Twine.Cli.Tests.Samples.WhyPromises;

public sealed class PyramidSampleTests
{
    [Fact]
    public void NestedCallBacksTheFlatChainAndTheAsyncMethodRunTheSameFiveStepsInOrder()
    {
        var run = SampleRun.Fast(new PyramidSample()).Succeeded();

        // CH1 (a callback returning a Deferred pauses the chain) and IC2 (await suspends until it fires) are what keep
        // the flat versions in order.
        string[] steps = ["   step 1 done", "   step 2 done", "   step 3 done", "   step 4 done", "   step 5 done"];
        string[] expected =
        [
            "1. nested call-backs (the pyramid of doom):", .. steps,
            "2. one flat Deferred chain:", .. steps,
            "3. an async Deferred method (inlineCallbacks):", .. steps,
        ];
        Assert.Equal(expected, run.Lines);
    }
}
