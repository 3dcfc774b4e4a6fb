using System.Net;
using Twine.Net;

namespace Twine.Interop.Tests.Amp;

/// <summary>
/// Twisted's own AMP client (peers/amp_client.py) calling a Twine AMP server: the same steps as the other direction,
/// checked on the Twisted side (it prints what it got) and on the Twine side (AMP1, AMP4–AMP6, AMP8, AMP11).
/// </summary>
public sealed class TwistedClientTwineServerAmpTests
{
    [Fact]
    public void TwistedClient_CallsEveryCommandOnATwineServer_AMP4_AMP5_AMP6_AMP11()
    {
        var servers = new List<TwineAmpServer>();
        Peers.ChildProcess? client = null;
        try
        {
            AmpInterop.Run(reactor =>
            {
                var factory = new Factory(() =>
                {
                    var server = new TwineAmpServer(reactor);
                    servers.Add(server);
                    return server.Protocol;
                }) { Noisy = false };
                var port = reactor.ListenTcp(0, factory, interfaceAddress: "127.0.0.1");
                var done = new Twine.Defer.Deferred<Twine.Unit>();
                client = AmpInterop.StartTwistedClient(((IPEndPoint)port.Host).Port);
                client.OnExit(() => reactor.CallFromThread(() => done.Callback(Twine.Unit.Value)));
                return done.AddCallback(_ => port.StopListening()).AddCallback(_ => { });
            }, () => client?.Report() ?? "");

            client!.WaitForExit();
            var lines = client.Lines;
            Assert.True(lines.Contains("DONE") && !lines.Any(l => l.Contains("MISMATCH", StringComparison.Ordinal)),
                $"The Twisted client did not finish cleanly{client.Report()}");
            for (var n = 0; n < 8; n++) Assert.Contains($"ECHO {n} OK", lines);
            Assert.DoesNotContain(lines, l => l.Contains("MISMATCH", StringComparison.Ordinal));
            Assert.Contains("DECLARED ZeroDivisionError cannot divide 7 by zero", lines);
            Assert.Contains("UNHANDLED UNHANDLED Unhandled Command: b'Nope'", lines);
            Assert.Contains("HOLD " + string.Join(' ', Enumerable.Range(0, 20).Reverse()), lines);
            Assert.Contains("BIG 5242880 True True True", lines);
            Assert.Contains("NOTES [\"first\", \"second \\u2713\"]", lines);
            Assert.Contains("UNKNOWN UNKNOWN Unknown Error", lines);
            Assert.Contains("CLOSED", lines);

            var server = Assert.Single(servers);
            Assert.Equal(["first", "second \u2713"], server.NotesReceived);
            Assert.IsAssignableFrom<ConnectionClosedException>(server.Protocol.ClosedReason?.Value);
        }
        finally
        {
            client?.Dispose();
        }
    }
}
