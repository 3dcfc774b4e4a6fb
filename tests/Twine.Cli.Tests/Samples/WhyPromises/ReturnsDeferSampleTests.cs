using Twine.Samples.WhyPromises;

namespace Twine.Cli.Tests.Samples.WhyPromises;

public sealed class ReturnsDeferSampleTests
{
    [Fact]
    public void TheSuccessCallBackReceivesSuccessAndTheChainWaitsForTheNextDeferred()
    {
        var run = SampleRun.Fast(new ReturnsDeferSample()).Succeeded();

        // RT1 (CallLater fires the Deferred), CH1 (the chain waits for the Deferred the first call-back returns).
        Assert.Equal(
        [
            "returnsDefer() returned a Deferred at once; the reactor fires it in 2 s",
            "success call-back received \"success\"; it starts someOtherAsyncFunction()",
            "anotherSuccess call-back received \"another success\"",
        ], run.Lines);
    }
}
