using Twine.Samples.WhyPromises;

namespace Twine.Cli.Tests.Samples.WhyPromises;

public sealed class EventLoopSampleTests
{
    [Fact]
    public void EachCallBackRequestsTheNextPieceAndTheLoopEndsWhenAllHaveArrived()
    {
        var run = SampleRun.Fast(new EventLoopSample()).Succeeded();

        int previous = -1;
        for (int i = 0; i < 3; i++)
        {
            int sent = run.IndexOfPrefix($"get_data({i}): request sent");
            int received = run.IndexOfPrefix($"data received -- {i}: ");
            Assert.True(previous < sent && sent < received, run.Text);
            // The loop keeps turning ("processing") between a request and its response: nothing blocks it.
            Assert.Contains(run.Lines.Skip(sent + 1).Take(received - sent - 1), l => l == "event loop: processing");
            previous = received;
        }
        Assert.Equal("event loop: all data has arrived, the loop ends", run.Lines[^1]);
    }
}
