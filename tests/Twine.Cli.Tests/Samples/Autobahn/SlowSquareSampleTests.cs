using Twine.Samples.Autobahn;

namespace Twine.Cli.Tests.Samples.Autobahn;

public sealed class SlowSquareSampleTests
{
    [Fact]
    public void FourWaysOfSlowSquareEachPrintNine()
    {
        var run = SampleRun.Fast(new SlowSquareSample()).Succeeded();

        Assert.Equal(
        [
            "1. a Deferred fired by CallLater:",
            "9",
            "2. an async Deferred<int> method that awaits reactor.Sleep (inlineCallbacks):",
            "9",
            "3. a Promise<int> resolved by CallLater (like an asyncio Future):",
            "9",
            "4. a plain Task<int> from an async method, awaited on the reactor (a coroutine):",
            "9",
            "   (the await resumed back on the reactor thread)",
        ], run.Lines);
    }
}
