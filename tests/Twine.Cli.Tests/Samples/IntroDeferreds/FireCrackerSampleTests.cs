using Twine.Samples;
using Twine.Samples.IntroDeferreds;
using Twine.Time;

namespace Twine.Cli.Tests.Samples.IntroDeferreds;

public sealed class FireCrackerSampleTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(42)]
    public void OnTheReactorItExplodesOnceInTheHandsOfWhoeverHoldsIt(int seed)
    {
        var run = SampleRun.Fast(new FireCrackerSample(), seed).Succeeded();

        // Real time decides the race between the fuse and the hand-over (the rule itself is checked on manual time
        // below), so here: the victim is whoever held the FireCracker when the BOOM line was written.
        Assert.StartsWith("Mad Hatter lights the fuse (it burns for ", run.Lines[0]);
        int boom = run.IndexOfPrefix("BOOM! Firecracker exploded in the unlucky hands of ");
        int handOver = run.Lines.ToList().FindIndex(l => l == "Mad Hatter hands the FireCracker to Ben Eills");
        string victim = handOver >= 0 && handOver < boom ? "Ben Eills" : "Mad Hatter";
        Assert.Equal($"BOOM! Firecracker exploded in the unlucky hands of {victim}", run.Lines[boom]);
        Assert.Equal(3, run.Lines.Count);
    }

    // Seeds chosen for their fuse: 2 -> 0.5 s, 1 -> 1.0 s, 6 -> 1.5 s, 7 -> 2.0 s (checked by the first assertion).
    [Theory]
    [InlineData(2, "0.5", "Mad Hatter", "Mad Hatter has nothing left to hand to Ben Eills")]
    [InlineData(1, "1.0", "Ben Eills", "Mad Hatter hands the FireCracker to Ben Eills")]
    [InlineData(6, "1.5", "Ben Eills", "Mad Hatter hands the FireCracker to Ben Eills")]
    [InlineData(7, "2.0", "Ben Eills", "Mad Hatter hands the FireCracker to Ben Eills")]
    public void AFuseUnderOneSecondExplodesInTheHattersHandsAnyOtherInBens(int seed, string fuse, string victim, string handOver)
    {
        // The same story on a manual Clock, stepped 100 ms at a time: the outcome depends on the fuse alone. With a
        // 1.0 s fuse, the hand-over at 1 s was scheduled first, so it wins the tie (RT1: FIFO among equal deadlines).
        var output = new StringWriter();
        var clock = new Clock();
        bool stopped = false;
        var fc = FireCrackerSample.SetTheStage(clock, () => stopped = true, new SampleContext(output, seed: seed));

        clock.Pump(Enumerable.Repeat(TimeSpan.FromMilliseconds(100), 30));

        Assert.True(stopped);
        Assert.True(fc.Exploded);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"Mad Hatter lights the fuse (it burns for {fuse} s)", lines[0]);
        Assert.Contains($"BOOM! Firecracker exploded in the unlucky hands of {victim}", lines);
        Assert.Contains(handOver, lines);
        Assert.Equal(3, lines.Length);
    }
}
