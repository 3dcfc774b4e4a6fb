using System.Text.RegularExpressions;
using Twine.Samples.IntroDeferreds;

namespace Twine.Cli.Tests.Samples.IntroDeferreds;

public sealed class GetPageSampleTests
{
    [Fact]
    public void ThePageGoesDownTheCallbacksAndTheClosedPortDownTheErrbacks()
    {
        var run = SampleRun.Fast(new GetPageSample()).Succeeded();

        // The ports are ephemeral: compare the lines with them replaced.
        var lines = run.Lines.Select(l => Regex.Replace(l, @"127\.0\.0\.1:\d+", "127.0.0.1:PORT")).ToList();
        Assert.Equal(
        [
            "Fetching http://127.0.0.1:PORT/ from the web server this demo started...",
            "The Deferred has called PrintContents with the following contents:",
            GetPageSample.Page,
            "Fetching http://127.0.0.1:PORT/, where nothing listens...",
            "The Deferred has called PrintError: ConnectionRefusedException: Connection was refused by other side.",
        ], lines);
    }
}
