using Twine.Samples;

namespace Twine.Cli.Tests.Cli;

public sealed class DemoRunnerTests
{
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    private DemoRunner Runner() => new(_output, _error, SampleContext.FastTimeScale, seed: 5, installSignalHandlers: false);

    [Fact]
    public void ATourGoesOnPastAFailingSampleAndExitsWithOne()
    {
        var ran = new List<string>();
        Sample[] samples = [new Scripted("first", ran, 0), new Scripted("broken", ran, 4), new Scripted("last", ran, 0)];

        int code = Runner().RunTour(samples);

        Assert.Equal(1, code);
        Assert.Equal(["first", "broken", "last"], ran);
        Assert.Contains("Tour finished: 3 samples ran, 1 failed, 0 skipped.", _output.ToString());
        Assert.Contains("twine demo: failed: broken (exit code 4)", _error.ToString());
    }

    [Fact]
    public void ASampleThatThrowsFailsWithItsException()
    {
        var ran = new List<string>();

        int code = Runner().RunTour([new Scripted("throws", ran, 0, new InvalidOperationException("the fuse got wet"))]);

        Assert.Equal(1, code);
        Assert.Contains("twine demo: throws failed: System.InvalidOperationException: the fuse got wet", _error.ToString());
    }

    [Fact]
    public void AnInterruptedSampleEndsTheTour()
    {
        var ran = new List<string>();
        // 130 = 128 + SIGINT: what a sample's reactor returns after Ctrl-C.
        Sample[] samples = [new Scripted("interrupted", ran, 130), new Scripted("never", ran, 0)];

        int code = Runner().RunTour(samples);

        Assert.Equal(130, code);
        Assert.Equal(["interrupted"], ran);
        Assert.Contains("twine demo: the tour was interrupted during interrupted.", _error.ToString());
    }

    [Fact]
    public void RunningAPendingSampleSaysWhyAndReturnsThree()
    {
        var pending = new PendingSample("later", Tutorial.IntroDeferreds, "Beyond", "not yet", "coming soon", "It needs more Twine.");

        int code = Runner().RunOne(pending);

        Assert.Equal(3, code);
        Assert.Equal("twine demo: later cannot run yet.\n", _error.ToString().ReplaceLineEndings("\n"));
        Assert.Equal("later is not available yet: coming soon. It needs more Twine.\n", _output.ToString().ReplaceLineEndings("\n"));
    }

    /// <summary>A sample that records that it ran and returns (or throws) what it is told to.</summary>
    private sealed class Scripted(string name, List<string> ran, int exitCode, Exception? exception = null) : Sample
    {
        public override string Name => name;
        public override Tutorial Tutorial => Tutorial.WhyPromises;
        public override string Section => "test";
        public override string Summary => "test";

        public override int Run(SampleContext context)
        {
            ran.Add(name);
            if (exception is not null) throw exception;
            return exitCode;
        }
    }
}
