using Twine.Samples.WhyPromises;

namespace Twine.Cli.Tests.Samples.WhyPromises;

public sealed class ThreadsDeferSampleTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(42)]
    public void DataIsHandled123InOrderOnTheReactorThread(int seed)
    {
        var run = SampleRun.Fast(new ThreadsDeferSample(), seed).Succeeded();

        int previous = -1;
        for (int id = 1; id <= 3; id++)
        {
            int received = run.IndexOfPrefix($"worker: data received -- {id} ");
            // TH1/TH4: the workers hand their results over, so every call-back runs on the reactor thread.
            int handled = run.IndexOfPrefix($"reactor: handled data {id} on the reactor thread: ");
            Assert.True(previous < received && received < handled, run.Text);
            previous = handled;
        }
        Assert.DoesNotContain(run.Lines, l => l.Contains("(wrong!)"));
        Assert.Equal("reactor: processing", run.Lines[1]);
        Assert.Equal("reactor: data 1, 2 and 3 handled in order", run.Lines[^1]);
    }
}
