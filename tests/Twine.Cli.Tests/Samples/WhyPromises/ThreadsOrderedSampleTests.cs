using Twine.Samples.WhyPromises;

namespace Twine.Cli.Tests.Samples.WhyPromises;

public sealed class ThreadsOrderedSampleTests
{
    [Theory]
    [InlineData(5)]
    [InlineData(42)]
    public void HandlersRunStrictlyZeroOneTwoAndEachFetchWaitsForThePreviousHandler(int seed)
    {
        var run = SampleRun.Fast(new ThreadsOrderedSample(), seed).Succeeded();

        run.AssertInOrder(
            "boss: get_data(0) on a worker thread",
            "boss: 0 has received: sunt aut facere repellat provident occaecati excepturi optio reprehenderit",
            "boss: get_data(1) on a worker thread",
            "boss: 1 has received: qui est esse",
            "boss: get_data(2) on a worker thread",
            "boss: 2 has received: ea molestias quasi exercitationem repellat qui ipsa sit aut",
            "boss: handled 0, 1, 2 in order, one fetch at a time");
        for (int id = 0; id < 3; id++)
            Assert.True(run.IndexOfPrefix($"worker: data received -- {id} ") < run.IndexOfPrefix($"boss: {id} has received"));
    }
}
