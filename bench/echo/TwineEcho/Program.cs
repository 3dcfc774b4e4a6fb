// Twine's echo server for the echo benchmark: the Twisted way, a Protocol that writes back what it receives,
// on a single-threaded reactor. Usage: TwineEcho PORT (runs until SIGTERM/SIGINT).
using Twine;
using Twine.Defer;
using Twine.Net;
using Twine.Reactors;

var port = int.Parse(args[0]);
// On exit (SIGTERM from run.sh), say how hard the process leaned on the GC: run.sh keeps it in the server's log.
AppDomain.CurrentDomain.ProcessExit += (_, _) => Console.Error.WriteLine(
    $"gc: gen0={GC.CollectionCount(0)} gen1={GC.CollectionCount(1)} gen2={GC.CollectionCount(2)} allocated_bytes={GC.GetTotalAllocatedBytes()}");
return Reactor.React((reactor, _) =>
{
    var factory = Factory.ForProtocol<Echo>();
    factory.Noisy = false;
    reactor.ListenTcp(port, factory, backlog: 511, interfaceAddress: "127.0.0.1");
    // Never fires: the server runs until a signal stops the reactor.
    return new Deferred<Unit>();
}, args);

internal sealed class Echo : Protocol
{
    public override void ConnectionMade()
    {
        // Every server in the comparison turns Nagle off, so none of them can stall on a delayed ACK.
        if (Transport is ITcpTransport tcp) tcp.NoDelay = true;
    }

    public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);
}
