using System.Net;
using Twine.Defer;
using Twine.Interop.Tests.Framing;
using Twine.Interop.Tests.Peers;
using Twine.Web.WebSockets;

namespace Twine.Interop.Tests.WebSockets;

/// <summary>Twine's echo server for the interop tests, recording whether each connection negotiated compression.</summary>
internal sealed class TwineEcho : WebSocketServerProtocol
{
    public bool Compressed { get; private set; }

    public override Deferred? OnOpen()
    {
        Compressed = IsCompressed;
        return null;
    }

    public override Deferred? OnMessage(byte[] payload, bool isBinary)
    {
        SendMessage(payload, isBinary);
        return null;
    }

    /// <summary>
    /// Serves a Twine echo on 127.0.0.1, runs the peer client that <paramref name="start"/> starts (given the URL)
    /// until it exits, then hands it and the server connections to <paramref name="check"/>.
    /// </summary>
    public static void RunPeerClient(WebSocketOptions? options, Func<string, ChildProcess> start, Action<ChildProcess, IReadOnlyList<TwineEcho>> check)
    {
        using var reactor = InteropReactor.Create();
        ChildProcess? client = null;
        var servers = new List<TwineEcho>();
        var factory = new WebSocketServerFactory(reactor, () =>
        {
            var e = new TwineEcho();
            servers.Add(e);
            return e;
        }, options);
        Failure? failure = null;
        reactor.CallWhenRunning(() => WebSocket.Listen(reactor, "tcp:0:interface=127.0.0.1", factory).AddCallback(port =>
        {
            client = start($"ws://127.0.0.1:{((IPEndPoint)port.Host).Port}/echo");
            client.OnExit(() => InteropReactor.StopSoon(reactor));
        }).AddErrback(f =>
        {
            // Listening or starting the peer failed: end the run with the reason rather than wait for the guard.
            failure = f;
            InteropReactor.StopSoon(reactor);
        }));
        try
        {
            InteropReactor.RunGuarded(reactor, () => client?.Report() ?? " (the peer client was never started).");
            if (failure is not null) Assert.Fail($"Could not listen or start the peer client: {failure}");
            client!.WaitForExit();
            check(client, servers);
        }
        finally
        {
            client?.Dispose();
        }
    }
}
