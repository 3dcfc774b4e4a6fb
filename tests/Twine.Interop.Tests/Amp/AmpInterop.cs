using System.Globalization;
using Twine.Defer;
using Twine.Interop.Tests.Framing;
using Twine.Interop.Tests.Peers;

namespace Twine.Interop.Tests.Amp;

/// <summary>Starting the Twisted AMP peers (peers/amp_server.py, peers/amp_client.py) and running a scenario on a guarded reactor.</summary>
internal static class AmpInterop
{
    /// <summary>Starts the Twisted AMP server and waits for its "PORT n" line.</summary>
    public static (ChildProcess Peer, int Port) StartTwistedServer()
    {
        var peer = Start("amp_server.py");
        try
        {
            var line = peer.WaitForLine(l => l.StartsWith("PORT ", StringComparison.Ordinal), "its PORT line");
            return (peer, int.Parse(line.AsSpan(5), CultureInfo.InvariantCulture));
        }
        catch
        {
            peer.Dispose();
            throw;
        }
    }

    /// <summary>Starts the Twisted AMP client against 127.0.0.1:<paramref name="port"/>.</summary>
    public static ChildProcess StartTwistedClient(int port) => Start("amp_client.py", port.ToString(CultureInfo.InvariantCulture));

    /// <summary>A Python script from peers/ on Debian's python3, with the user's site packages out of the way.</summary>
    public static ChildProcess Start(string script, params string[] args)
    {
        TwistedPeer.RequireTwisted();
        return new ChildProcess(TwistedPeer.Python, ["-u", Path.Combine(TwistedPeer.PeersDirectory, script), .. args],
            TwistedPeer.PeersDirectory, new Dictionary<string, string?> { ["PYTHONNOUSERSITE"] = "1", ["PYTHONPATH"] = null });
    }

    /// <summary>Runs <paramref name="scenario"/> on a real reactor under the guard, failing the test if it fails.</summary>
    public static void Run(Func<Twine.Reactors.Reactor, Deferred> scenario, Func<string>? diagnostics = null)
    {
        using var reactor = InteropReactor.Create();
        Failure? failure = null;
        reactor.CallWhenRunning(() => scenario(reactor)
            .AddErrback(f => { failure = f; })
            .AddBoth(() => InteropReactor.StopSoon(reactor)));
        InteropReactor.RunGuarded(reactor, () => (failure is null ? "." : $": {failure.GetTraceback(TracebackDetail.Default)}") + diagnostics?.Invoke());
        if (failure is null) return;
        if (diagnostics is null) failure.RaiseException();
        throw new Xunit.Sdk.XunitException($"{failure.GetTraceback(TracebackDetail.Default)}{diagnostics()}");
    }

    /// <summary>The exception <paramref name="call"/> fails with; fails the test if it succeeds.</summary>
    public static async Deferred<Exception> FailureOf<T>(Deferred<T> call)
    {
        try
        {
            var value = await call;
            throw new Xunit.Sdk.XunitException($"Expected the call to fail, but it returned {value}.");
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            return e;
        }
    }
}
