using Twine.Samples.WhyPromises;

namespace Twine.Cli.Tests.Samples.WhyPromises;

public sealed class ObserverCallbacksSampleTests
{
    [Fact]
    public void NestedCallBacksHandleData1ThenData2WhileTheBossKeepsProcessing()
    {
        var run = SampleRun.Fast(new ObserverCallbacksSample()).Succeeded();

        // The boss processes before the first response can have arrived: driving the call-backs did not block it.
        Assert.Equal("boss: processing", run.Lines[1]);
        int received1 = run.IndexOfPrefix("worker: data received -- 1 ");
        int callBack1 = run.IndexOfPrefix("call_back_1: processing data 1: ");
        int received2 = run.IndexOfPrefix("worker: data received -- 2 ");
        int callBack2 = run.IndexOfPrefix("call_back_2: processing data 2: ");
        Assert.True(received1 < callBack1 && callBack1 < received2 && received2 < callBack2, run.Text);
        Assert.Equal("boss: both call-backs have run, data 1 then data 2", run.Lines[^1]);
    }
}
