using Twine.Samples;

namespace Twine.Cli.Tests.Cli;

public sealed class DemoCommandTests
{
    [Fact]
    public void HelpDescribesTheArgumentAndEveryOption()
    {
        var run = CliRun.Invoke("demo", "--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("twine demo [<name>] [options]", run.Output);
        Assert.Contains("--all", run.Output);
        Assert.Contains("--fast", run.Output);
        Assert.Contains("--seed <N>", run.Output);
    }

    [Fact]
    public void WithoutANameItListsEverySampleWithItsSummaryAndSection()
    {
        var run = CliRun.Invoke("demo");

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var sample in SampleCatalog.All)
        {
            Assert.Contains($"  {sample.Name} ", run.Output);
            Assert.Contains(sample.Summary, run.Output);
            Assert.Contains($"section: {sample.Section}", run.Output);
        }
        Assert.DoesNotContain("[coming with", run.Output);       // no sample of the tour is pending any more
        Assert.Contains(Tutorial.IntroDeferreds.File, run.Output);
    }

    [Fact]
    public void TheListIsInTourOrder()
    {
        var run = CliRun.Invoke("demo");

        var positions = SampleCatalog.All.Select(s => run.Output.IndexOf($"  {s.Name} ", StringComparison.Ordinal)).ToList();
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public void ANameRunsThatSample()
    {
        var run = CliRun.Invoke("demo", "defer-chain");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("== defer-chain: https://github.com/kiran3807/python-promise-tutorial, \"Promises to the rescue (addCallbacks)\" ==", run.Output);
        Assert.Contains("call-back 3 done", run.Output);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public void NamesAreCaseInsensitive()
    {
        var run = CliRun.Invoke("demo", "Defer-Chain");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("call-back 3 done", run.Output);
    }

    [Fact]
    public void FastRunsAReactorSampleToItsEnd()
    {
        var run = CliRun.Invoke("demo", "slow-multiply", "--fast");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("... result is 35!", run.Output);
    }

    [Fact]
    public void TheSeedIsPrintedForSamplesThatUseRandomness()
    {
        var given = CliRun.Invoke("demo", "fate", "--fast", "--seed", "123");
        var chosen = CliRun.Invoke("demo", "fate", "--fast");

        Assert.True(given.ExitCode == 0, given.ToString());
        Assert.Contains("(seed 123: run again with --seed 123 for the same choices)", given.Output);
        Assert.Matches(@"\(seed \d+: run again with --seed \d+ for the same choices\)", chosen.Output);
    }

    [Fact]
    public void TheSameSeedMakesTheSameChoices()
    {
        var first = CliRun.Invoke("demo", "firecracker", "--fast", "--seed", "11");
        var second = CliRun.Invoke("demo", "firecracker", "--fast", "--seed", "11");

        string Fuse(CliRun run) => run.Output.Split('\n').Single(l => l.StartsWith("Mad Hatter lights the fuse"));
        Assert.Equal(Fuse(first), Fuse(second));
    }

    [Fact]
    public void GetPageFetchesFromItsOwnServerThenShowsTheErrback()
    {
        var run = CliRun.Invoke("demo", "getpage");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(Twine.Samples.IntroDeferreds.GetPageSample.Page, run.Output);
        Assert.Contains("The Deferred has called PrintError: ConnectionRefusedException", run.Output);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public void AnUnknownSampleIsAUsageError()
    {
        var run = CliRun.Invoke("demo", "no-such-sample");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("Unknown sample 'no-such-sample'.", run.Error);
        Assert.Contains("Run 'twine demo' to list the samples.", run.Error);
        Assert.Contains("Run 'twine demo --help' for usage.", run.Error);
        Assert.Equal("", run.Output);
    }

    [Theory]
    [InlineData("slow-multiplyy", "slow-multiply")]
    [InlineData("firecraker", "firecracker")]
    [InlineData("square", "slow-square")]
    public void AMistypedSampleGetsASuggestion(string given, string suggested)
    {
        var run = CliRun.Invoke("demo", given);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"Did you mean '{suggested}'?", run.Error);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("99999999999")]
    public void ASeedThatIsNotAWholeNumberIsAUsageError(string seed)
    {
        var run = CliRun.Invoke("demo", "fate", "--seed", seed);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"--seed needs a whole number, not '{seed}'.", run.Error);
    }

    [Fact]
    public void ASeedWithoutAValueIsAUsageError()
    {
        var run = CliRun.Invoke("demo", "fate", "--seed");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--seed", run.Error);
    }

    [Fact]
    public void ANameTogetherWithAllIsAUsageError()
    {
        var run = CliRun.Invoke("demo", "fate", "--all");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("Give either a sample name or --all, not both.", run.Error);
    }

    [Fact]
    public void TwoNamesAreAUsageError()
    {
        var run = CliRun.Invoke("demo", "fate", "threads");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("threads", run.Error);
    }

    [Fact]
    public void AnUnknownOptionIsAUsageError()
    {
        var run = CliRun.Invoke("demo", "--faster");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("Unknown option '--faster'.", run.Error);
        Assert.DoesNotContain("Unknown sample", run.Error);
    }

    [Fact]
    public void AllRunsTheWholeTourInOrderGetPageIncluded()
    {
        var run = CliRun.Invoke("demo", "--all", "--fast", "--seed", "7");

        Assert.True(run.ExitCode == 0, run.ToString());
        var samples = SampleCatalog.All;
        int previous = -1;
        for (int i = 0; i < samples.Count; i++)
        {
            string header = samples[i].Unavailable is { } reason
                ? $"== [{i + 1}/{samples.Count}] {samples[i].Name}: skipped, {reason} =="
                : $"== [{i + 1}/{samples.Count}] {samples[i].Name}: {samples[i].Tutorial.File}, \"{samples[i].Section}\" ==";
            int at = run.Output.IndexOf(header, StringComparison.Ordinal);
            Assert.True(at > previous, $"missing or out of order: {header}\n{run}");
            previous = at;
        }
        // A few lines from along the way, to show each sample really ran.
        Assert.Contains("call-back 3 done", run.Output);
        Assert.Contains("Boom! The Houses of Parliament explode!", run.Output);
        Assert.Contains("... result is 35!", run.Output);
        Assert.Contains("The Deferred has called PrintContents with the following contents:", run.Output);
        Assert.Contains("Tour finished: 16 samples ran, 0 failed, 0 skipped.", run.Output);
        Assert.Equal("", run.Error);
    }

    [Theory]
    [InlineData("thread", "threads")]
    [InlineData("fuse-chian", "fuse-chain")]
    [InlineData("ERRBAKCS", "errbacks")]
    [InlineData("observer", "observer-callbacks")]
    public void SuggestsTheClosestSample(string given, string expected) => Assert.Equal(expected, DemoCommand.Suggest(given));

    [Theory]
    [InlineData("x")]
    [InlineData("completely-different")]
    public void SuggestsNothingWhenNothingIsClose(string given) => Assert.Null(DemoCommand.Suggest(given));
}
