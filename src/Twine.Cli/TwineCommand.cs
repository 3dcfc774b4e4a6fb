using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace Twine.Cli;

/// <summary>
/// The <c>twine</c> command line: the root command and its subcommands, parsed with System.CommandLine, with Unix exit
/// codes (a bad command line exits with <see cref="ExitCodes.Usage"/>, not System.CommandLine's default 1).
/// </summary>
internal static class TwineCommand
{
    /// <summary>Builds the command tree. The root is named "twine" whatever the host executable is called.</summary>
    /// <param name="installSignalHandlers">Whether reactors started by commands stop cleanly on Ctrl-C (tests turn it off).</param>
    public static Command Create(bool installSignalHandlers = true)
    {
        var root = new Command("twine", "Twine: Twisted's asynchronous model for .NET (a reactor, Deferreds, Promises and networking).")
        {
            new HelpOption(),
            new VersionOption(),
            DemoCommand.Create(installSignalHandlers),
            EchoCommand.Create(installSignalHandlers),
            WebCommand.Create(installSignalHandlers),
            WsCommand.Create(installSignalHandlers),
            CertCommand.Create(),
            GetCommand.Create(installSignalHandlers),
        };
        return root;
    }

    /// <summary>Parses <paramref name="args"/>, runs the command, and returns the process exit code.</summary>
    public static int Invoke(IReadOnlyList<string> args, TextWriter output, TextWriter error, bool installSignalHandlers = true)
    {
        var result = Create(installSignalHandlers).Parse(args);
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        if (result.Action is ParseErrorAction parseError)
        {
            // Errors (with System.CommandLine's "did you mean" suggestions, which it writes to Output) and a pointer to
            // the help, not the whole help text: the mistake stays visible, and all of it goes to stderr.
            parseError.ShowHelp = false;
            result.Invoke(new InvocationConfiguration { Output = error, Error = error });
            string command = string.Join(' ', CommandPath(result));
            error.WriteLine($"Run '{command} --help' for usage.");
            return ExitCodes.Usage;
        }
        return result.Invoke(configuration);
    }

    /// <summary>"twine demo": the names from the root down to the command that was parsed.</summary>
    private static IEnumerable<string> CommandPath(ParseResult result)
    {
        var names = new Stack<string>();
        for (var r = result.CommandResult; r is not null; r = r.Parent as CommandResult) names.Push(r.Command.Name);
        return names;
    }
}
