using System.Text.RegularExpressions;
using Twine.Samples.WhyPromises;

namespace Twine.Cli.Tests.Samples.WhyPromises;

public sealed partial class ThreadsFlagsSampleTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(42)]
    public void TheBossHandlesEachPieceOfDataOnceAfterItsWorkerSetTheFlag(int seed)
    {
        var run = SampleRun.Fast(new ThreadsFlagsSample(), seed).Succeeded();

        var handledOrder = new List<int>();
        for (int id = 0; id < 3; id++)
        {
            int called = run.IndexOf($"boss: get_data({id}) on a worker thread");
            int received = run.IndexOfPrefix($"worker: data received -- {id} ");
            int handled = run.IndexOfPrefix($"boss: handle_data_{id + 1} handles data {id}:");
            // A handler can only run after its worker has set the flag, which it does after fetching.
            Assert.True(called < received && received < handled, run.Text);
        }

        // The boss reports the order it handled the data in, and it is the order of the handler lines: completion
        // order, which with random latencies need not be 0, 1, 2.
        foreach (var line in run.LinesStartingWith("boss: handle_data_"))
            handledOrder.Add(int.Parse(HandlesData().Match(line).Groups[1].Value));
        Assert.Equal($"boss: handled the data in the order {string.Join(", ", handledOrder)} (called in the order 0, 1, 2)", run.Lines[^1]);
        Assert.Contains("boss: processing", run.Lines);
    }

    [GeneratedRegex(@"handles data (\d)")]
    private static partial Regex HandlesData();
}
