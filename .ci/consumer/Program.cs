using System.Net;
using System.Text;
using Twine.Defer;
using Twine.Net;
using Twine.Net.Endpoints;
using Twine.Protocols;
using Twine.Reactors;

// Runs the reactor until the function's Deferred fires, then returns the exit code.
return Reactor.React(async (reactor, args) =>
{
    // The server: each connection gets a new Echo protocol, which writes back whatever arrives.
    // Port 0 asks the OS for a free port; the listening port tells us which one it chose.
    IListeningPort port = await Endpoints.Server(reactor, "tcp:0:interface=127.0.0.1")
        .Listen(Factory.ForProtocol<Echo>());
    int portNumber = ((IPEndPoint)port.Host).Port;
    Console.WriteLine($"echo server on 127.0.0.1:{portNumber}");

    // The client: connect one Greeter protocol and wait for its answer.
    IStreamClientEndpoint endpoint = Endpoints.Client(reactor, $"tcp:host=127.0.0.1:port={portNumber}");
    Greeter greeter = await Endpoints.ConnectProtocol(endpoint, new Greeter());
    Console.WriteLine($"the server said: {await greeter.Reply}");

    await port.StopListening();
}, args);

/// <summary>Sends one line when connected; <see cref="Reply"/> fires with the first line that comes back.</summary>
sealed class Greeter : LineReceiver
{
    public Deferred<string> Reply { get; } = new();

    public override void ConnectionMade() => SendLine("hello, Twine");

    protected override void LineReceived(ReadOnlySpan<byte> line)
    {
        Reply.Callback(Encoding.UTF8.GetString(line));
        Transport.LoseConnection();
    }
}
