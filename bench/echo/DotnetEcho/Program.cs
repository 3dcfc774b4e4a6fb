// The idiomatic .NET baseline for the echo benchmark: Socket + an async ReceiveAsync/SendAsync loop per connection,
// on the default thread pool and default (workstation, concurrent) GC. Usage: DotnetEcho PORT
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

var port = int.Parse(args[0]);
// On SIGTERM (from run.sh), say how hard the process leaned on the GC, then exit: run.sh keeps it in the server's log.
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ =>
{
    Console.Error.WriteLine(
        $"gc: gen0={GC.CollectionCount(0)} gen1={GC.CollectionCount(1)} gen2={GC.CollectionCount(2)} allocated_bytes={GC.GetTotalAllocatedBytes()}");
    Environment.Exit(0);
});
using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
listener.Listen(511);
while (true)
{
    var socket = await listener.AcceptAsync();
    _ = EchoAsync(socket);
}

static async Task EchoAsync(Socket socket)
{
    // Every server in the comparison turns Nagle off, so none of them can stall on a delayed ACK.
    socket.NoDelay = true;
    var buffer = new byte[4096];
    try
    {
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None);
            if (n == 0) break;
            await socket.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
        }
    }
    catch (SocketException)
    {
        // A reset from the client ends the connection like an orderly close does.
    }
    finally
    {
        socket.Dispose();
    }
}
