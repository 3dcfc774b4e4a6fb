// Twine.Web's server for the HTTP benchmark: GET / returns the 2-byte body "OK". Usage: TwineHttp PORT [DIR]
// (runs until SIGTERM/SIGINT); with DIR, /static/ also serves that directory (a File resource: sendfile on TCP).
// The access log is off, as it is for every server in the comparison.
using Twine;
using Twine.Defer;
using Twine.Net.Endpoints;
using Twine.Reactors;
using Twine.Web;

var port = int.Parse(args[0]);
AppDomain.CurrentDomain.ProcessExit += (_, _) => Console.Error.WriteLine(
    $"gc: gen0={GC.CollectionCount(0)} gen1={GC.CollectionCount(1)} gen2={GC.CollectionCount(2)} allocated_bytes={GC.GetTotalAllocatedBytes()}");
return Reactor.React(async (reactor, _) =>
{
    IResource root = new Ok();
    if (args.Length > 1)
    {
        root = new Resource();
        root.PutChild("", new Ok());
        root.PutChild("static", new Twine.Web.Static.File(args[1]));
    }
    var site = new Site(root, reactor) { LogRequests = false };
    await Endpoints.Server(reactor, $"tcp:{port}:interface=127.0.0.1:backlog=511").Listen(site);
    Console.WriteLine($"listening on {port}");
    await new Deferred<Unit>();     // runs until a signal stops the reactor
}, args);

internal sealed class Ok : Resource
{
    private static readonly byte[] s_body = "OK"u8.ToArray();
    public override bool IsLeaf => true;
    protected override RenderResult RenderGet(Request request) => s_body;
}
