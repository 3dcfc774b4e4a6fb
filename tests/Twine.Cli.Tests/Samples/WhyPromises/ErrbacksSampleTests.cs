using Twine.Samples.WhyPromises;

namespace Twine.Cli.Tests.Samples.WhyPromises;

public sealed class ErrbacksSampleTests
{
    [Fact]
    public void AnErrbackThatReRaisesPassesTheFailureOnAndOneThatReturnsRecovers()
    {
        var run = SampleRun.Fast(new ErrbacksSample()).Succeeded();

        // D3: an errback that raises keeps the error path; one that returns switches back to success, so the second
        // errback does not run (the tutorial's "both run" is only true of handlers that raise).
        Assert.Equal(
        [
            "1. the first errback re-raises, so the failure reaches the second:",
            "   first_error_handler: ArgumentException: Activate the failure callbacks ! -> re-raises it",
            "   second_error_handler: ArgumentException: Activate the failure callbacks ! -> handles it",
            "   the chain goes on with success after the second errback",
            "2. the first errback returns, which handles the failure: the second does not run:",
            "   first_error_handler: ArgumentException: Activate the failure callbacks ! -> returns \"recovered\"",
            "   the next call-back receives \"recovered\"",
            "   second_error_handler did not run",
        ], run.Lines);
    }
}
