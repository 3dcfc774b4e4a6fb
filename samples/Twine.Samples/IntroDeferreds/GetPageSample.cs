namespace Twine.Samples.IntroDeferreds;

using System.Net;
using System.Text;
using Twine.Net;
using Twine.Reactors;
using Twine.Web;
using Twine.Web.Client;

/// <summary>
/// "Intro to Python Asynchronous Programming and Twisted's Deferreds", beyond the tutorial: the classic getPage
/// program. <c>GetPage(url)</c> returns a Deferred at once and fires it with the page once it has been downloaded; a
/// callback chain decodes and prints it, then a second fetch, from a port where nothing listens, goes down the errback
/// path instead. What differs from the original: there is no internet here, so the demo starts a Twine web server on an
/// ephemeral 127.0.0.1 port and fetches from it instead of a public site; and the reactor stops once both fetches are
/// done rather than at a fixed 3 s (a guard still stops it if something hangs).
/// </summary>
public sealed class GetPageSample : Sample
{
    /// <summary>The page the demo's own server serves.</summary>
    public const string Page = "<html><body><h1>Hello from a Twine web server!</h1></body></html>";

    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(30);

    public override string Name => "getpage";
    public override Tutorial Tutorial => Tutorial.IntroDeferreds;
    public override string Section => "Beyond this tutorial (getPage)";
    public override string Summary => "GetPage(url) downloads a page from a local Twine web server through a callback chain; then the errback path";

    public override int Run(SampleContext context)
    {
        using var reactor = Reactor.Create(context.ReactorOptions);
        bool printed = false, refused = false, hung = false;

        // Called by Twine when the Deferred from GetPage fires with the page.
        void PrintContents(string contents)
        {
            context.WriteLine("The Deferred has called PrintContents with the following contents:");
            context.WriteLine(contents);
            printed = true;
        }

        // Called instead when the download failed.
        void PrintError(Failure failure)
        {
            context.WriteLine($"The Deferred has called PrintError: {failure.Type.Name}: {failure.GetErrorMessage()}");
            refused = failure.Check<ConnectionRefusedException>();
        }

        reactor.CallWhenRunning(() =>
        {
            var root = new Resource();
            root.PutChild("", new PageResource());
            var server = reactor.ListenTcp(0, new Site(root, reactor) { LogRequests = false }, interfaceAddress: "127.0.0.1");
            // A port that was listened on and closed again: nothing listens there, so connecting is refused.
            var nobody = Factory.ForProtocol(() => new PageResource.Nobody());
            nobody.Noisy = false;
            var closed = reactor.ListenTcp(0, nobody, interfaceAddress: "127.0.0.1");
            int closedPort = ((IPEndPoint)closed.Host).Port;
            var agent = new Agent(reactor);
            var url = $"http://127.0.0.1:{((IPEndPoint)server.Host).Port}/";

            context.WriteLine($"Fetching {url} from the web server this demo started...");
            agent.GetPage(url)
                .AddCallback(page => Encoding.UTF8.GetString(page))
                .AddCallbacks(PrintContents, PrintError)
                .AddCallback(_ => closed.StopListening().AddCallback(() =>
                {
                    context.WriteLine($"Fetching http://127.0.0.1:{closedPort}/, where nothing listens...");
                    return agent.GetPage($"http://127.0.0.1:{closedPort}/");
                }))
                .AddCallback(page => Encoding.UTF8.GetString(page))
                .AddCallbacks(PrintContents, PrintError)
                .AddBoth(_ =>
                {
                    server.StopListening();
                    reactor.Stop();
                });
        });
        // Only if something hangs: the tutorial's program stops the reactor on a timer too.
        reactor.CallLater(s_guard, () =>
        {
            hung = true;
            reactor.Stop();
        });
        reactor.Run();
        // Ctrl-C stops the reactor early (and cleanly); say so in the exit code, as Reactor.React does.
        if (reactor.ExitSignal is { } signal) return 128 + signal;
        return printed && refused && !hung ? 0 : 1;
    }

    /// <summary>The one page of the demo's web server.</summary>
    private sealed class PageResource : Resource
    {
        public override bool IsLeaf => true;

        public override RenderResult Render(Request request) => Page;

        /// <summary>The protocol of the port that is closed at once; it never sees a connection.</summary>
        internal sealed class Nobody : Protocol;
    }
}
