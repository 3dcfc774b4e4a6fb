using System.Net;
using Twine.Defer;
using Twine.Net;
using Twine.Reactors;

namespace Twine.Web.Tests.Client;


/// <summary>
/// Runs a client scenario in a real reactor on the test thread, with servers listening on 127.0.0.1 in the same
/// reactor. The reactor stops when the scenario's Deferred fires; a guard crashes it after 30 s whatever happens.
/// </summary>
internal sealed class ClientLoopback
{
    private readonly List<IListeningPort> _ports = [];

    private ClientLoopback(Reactor reactor) => Reactor = reactor;

    public Reactor Reactor { get; }

    public static T Run<T>(Func<ClientLoopback, Deferred<T>> scenario)
    {
        using var reactor = Reactor.Create(new ReactorOptions { InstallSignalHandlers = false });
        var loop = new ClientLoopback(reactor);
        Outcome<T>? outcome = null;
        reactor.CallWhenRunning(() => Deferred.MaybeDeferred(() => scenario(loop)).AddBoth(o =>
        {
            outcome = o;
            foreach (var port in loop._ports) port.StopListening();
            reactor.Stop();
        }));
        bool tripped = false;
        var guard = reactor.CallLater(TimeSpan.FromSeconds(30), () =>
        {
            tripped = true;
            reactor.Crash();
        });
        reactor.Run();
        if (guard.IsActive) guard.Cancel();
        Assert.False(tripped, "The client scenario did not finish within the guard time.");
        var result = outcome!.Value;
        result.Failure?.RaiseException();
        return result.Value;
    }

    /// <summary>Listens on an ephemeral loopback port and returns its number.</summary>
    public int Listen(IProtocolFactory factory)
    {
        var port = Reactor.ListenTcp(0, factory, interfaceAddress: "127.0.0.1");
        _ports.Add(port);
        return ((IPEndPoint)port.Host).Port;
    }

    /// <summary>A server that answers each connection's request head with <paramref name="response"/>, then closes.</summary>
    public int ListenScripted(byte[] response) => Listen(Factory.ForProtocol(() => new ScriptedServer(response)));

    /// <summary>A server of <paramref name="root"/> through Twine's own <see cref="Site"/>.</summary>
    public int ListenSite(IResource root) => Listen(new Site(root, Reactor) { LogRequests = false });

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

    /// <summary>Writes its scripted bytes once the request head has arrived (whatever it says), then closes.</summary>
    private sealed class ScriptedServer(byte[] response) : Protocol
    {
        private readonly MemoryStream _received = new();
        private bool _answered;

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            if (_answered) return;
            _received.Write(data);
            if (_received.GetBuffer().AsSpan(0, (int)_received.Length).IndexOf("\r\n\r\n"u8) < 0) return;
            _answered = true;
            Transport.Write(response);
            Transport.LoseConnection();
        }
    }
}
