using System.Net;
using System.Net.Sockets;
using Twine.Defer;
using Twine.Net;
using Twine.Net.Endpoints;
using Twine.Reactors;

namespace Twine.Web.Tests;


/// <summary>
/// Runs a real reactor on the test thread with a server listening on 127.0.0.1, while a client runs on a worker thread
/// over real sockets. The reactor stops when the client is done; a guard stops it after 60 s whatever happens.
/// </summary>
internal static class LoopbackServer
{
    private static readonly TimeSpan s_guard = TimeSpan.FromSeconds(60);

    public static T Run<T>(Func<Reactor, Deferred<IListeningPort>> listen, Func<int, T> client)
    {
        using var reactor = Reactor.Create(new ReactorOptions { InstallSignalHandlers = false });
        Task<T>? work = null;
        Failure? listenFailure = null;
        reactor.CallWhenRunning(() =>
        {
            listen(reactor).AddCallbacks(
                port =>
                {
                    int number = port.Host is IPEndPoint ip ? ip.Port : 0;      // 0 for a Unix socket
                    work = Task.Run(() => client(number));
                    work.ContinueWith(_ => reactor.CallFromThread(() =>
                    {
                        port.StopListening();
                        reactor.Stop();
                    }), TaskScheduler.Default);
                },
                failure =>
                {
                    listenFailure = failure;
                    reactor.Stop();
                });
        });
        bool tripped = false;
        var guard = reactor.CallLater(s_guard, () =>
        {
            tripped = true;
            reactor.Crash();
        });
        reactor.Run();
        if (guard.IsActive) guard.Cancel();
        Assert.Null(listenFailure);
        Assert.False(tripped, "The loopback exchange did not finish within the guard time.");
        return work!.GetAwaiter().GetResult();
    }

    /// <summary>Sends <paramref name="request"/> on a new connection and reads until the server closes it.</summary>
    public static byte[] Exchange(int port, byte[] request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.ReceiveTimeout = 30_000;
        socket.Connect(IPAddress.Loopback, port);
        socket.Send(request);
        var received = new MemoryStream();
        var buffer = new byte[65536];
        int n;
        while ((n = socket.Receive(buffer)) > 0) received.Write(buffer, 0, n);
        return received.ToArray();
    }
}
