using Twine.Samples.WhyPromises;

namespace Twine.Cli.Tests.Samples.WhyPromises;

public sealed class ThreadsSampleTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    public void AllThreeFetchesAreHandledBeforeMainFinishes(int seed)
    {
        var run = SampleRun.Fast(new ThreadsSample(), seed).Succeeded();

        // Each thread handles its own data once; in which order depends on the latencies, so only content is checked.
        int names = run.IndexOfPrefix("getNames handled 3 names");
        int questions = run.IndexOfPrefix("getQuestions handled 3 questions");
        int answers = run.IndexOfPrefix("getAnswers handled 3 answers");
        int started = run.IndexOfPrefix("main: started getNames, getQuestions and getAnswers");
        int done = run.IndexOf("main: all three fetches handled");

        Assert.Equal(run.Lines.Count - 1, done);
        Assert.All(new[] { names, questions, answers }, i => Assert.True(i < done));
        Assert.Contains("kiran, katie, kwame", run.Lines[names]);
        Assert.True(started < done);
    }
}
