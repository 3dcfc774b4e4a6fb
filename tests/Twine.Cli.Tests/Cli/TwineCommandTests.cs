namespace Twine.Cli.Tests.Cli;

public sealed class TwineCommandTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void HelpDescribesTheToolAndListsItsCommands(string option)
    {
        var run = CliRun.Invoke(option);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Usage:", run.Output);
        Assert.Contains("twine [command] [options]", run.Output);
        Assert.Contains("demo", run.Output);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public void VersionPrintsAVersion()
    {
        var run = CliRun.Invoke("--version");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"^\d+\.\d+", run.Output);
    }

    [Fact]
    public void NoCommandIsAUsageError()
    {
        var run = CliRun.Invoke();

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("Required command was not provided", run.Error);
        Assert.Contains("Run 'twine --help' for usage.", run.Error);
    }

    [Fact]
    public void AnUnknownCommandIsAUsageError()
    {
        var run = CliRun.Invoke("frobnicate");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("frobnicate", run.Error);
        Assert.Contains("Run 'twine --help' for usage.", run.Error);
    }

    [Fact]
    public void AMistypedCommandGetsASuggestion()
    {
        var run = CliRun.Invoke("dmeo");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("'dmeo' was not matched. Did you mean one of the following?\ndemo", run.Error);
        Assert.Equal("", run.Output);
    }

    [Fact]
    public void AnUnknownOptionIsAUsageError()
    {
        var run = CliRun.Invoke("--frobnicate");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--frobnicate", run.Error);
    }
}
