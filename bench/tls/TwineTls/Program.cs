// Twine's TLS echo server for the TLS benchmark: the echo Protocol behind Twisted-style `ssl:` endpoint string, so the
// TLS layer wraps the socket transport. Usage: TwineTls PORT KEY.pem CERT.pem (runs until SIGTERM/SIGINT).
using Twine;
using Twine.Defer;
using Twine.Net;
using Twine.Net.Endpoints;
using Twine.Reactors;

var (port, key, cert) = (args[0], args[1], args[2]);
return Reactor.React(async (reactor, _) =>
{
    var factory = Factory.ForProtocol<Echo>();
    factory.Noisy = false;
    await Endpoints.Server(reactor, $"ssl:{port}:privateKey={key}:certKey={cert}:interface=127.0.0.1:backlog=511").Listen(factory);
    Console.WriteLine($"listening on {port}");
    await new Deferred<Unit>();     // runs until a signal stops the reactor
}, args);

internal sealed class Echo : Protocol
{
    public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);
}
