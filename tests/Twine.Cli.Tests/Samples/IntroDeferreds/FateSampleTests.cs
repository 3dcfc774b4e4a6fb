using Twine.Samples.IntroDeferreds;

namespace Twine.Cli.Tests.Samples.IntroDeferreds;

public sealed class FateSampleTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    public void TheFireCrackerExplodesInBensHandsThenFateShutsDown(int seed)
    {
        var run = SampleRun.Fast(new FateSample(), seed).Succeeded();

        // Lighting the fuse returns at once, so the hand-over always happens before Fate even runs: whatever the fuse
        // length, it is Ben who holds it.
        int lit = run.IndexOfPrefix("Mad Hatter lights the fuse (it burns for ");
        run.AssertInOrder(
            "Mad Hatter hands the FireCracker to Ben Eills",
            "BOOM! Firecracker exploded in the unlucky hands of Ben Eills",
            "Fate has shut down: the universe has ended");
        Assert.Equal(0, lit);
        Assert.Equal(4, run.Lines.Count);
    }
}
