using System.Net;
using Twine.Defer;
using Twine.Reactors;
using Twine.Web.WebSockets;

// A WebSocket echo server for the benchmark: no compression (as the other servers are run), limits raised for the
// streaming scenario. Prints "PORT n" once listening.
return Reactor.React(async (reactor, args) =>
{
    var options = new WebSocketOptions { PerMessageDeflate = false, MaxMessageSize = 1 << 20, MaxFrameSize = 1 << 20 };
    var port = await WebSocket.Listen(reactor, $"tcp:{(args.Length > 0 ? args[0] : "0")}:interface=127.0.0.1",
        new WebSocketServerFactory(reactor, () => new Echo(), options));
    Console.WriteLine($"PORT {((IPEndPoint)port.Host).Port}");
    await new Deferred<Twine.Unit>();
}, args);

internal sealed class Echo : WebSocketServerProtocol
{
    public override Deferred? OnMessage(byte[] payload, bool isBinary)
    {
        SendMessage(payload, isBinary);
        return null;
    }
}
