namespace Twine.Cli.Tests.Cli;

/// <summary>One invocation of the twine command line, with its output and errors captured.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static CliRun Invoke(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = TwineCommand.Invoke(args, output, error, installSignalHandlers: false);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public override string ToString() => $"exit code {ExitCode}\n--- output:\n{Output}\n--- error:\n{Error}";
}
