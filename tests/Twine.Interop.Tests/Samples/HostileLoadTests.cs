using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Twine.Interop.Tests.Peers;

namespace Twine.Interop.Tests.Samples;

/// <summary>
/// The samples under the load a hostile client can make, each server in a child process on real loopback sockets:
/// more connections than the process may open descriptors for, and clients that send without reading.
/// </summary>
public sealed partial class HostileLoadTests
{
    private const int Mib = 1024 * 1024;

    [Theory]
    [InlineData("native")]
    [InlineData("portable")]
    public void AnEchoServerAtItsDescriptorLimitKeepsRoomForTheRuntimeAndRecovers(string layer)
    {
        // Both socket layers keep the descriptor reserve (DescriptorReserve): the native one on accept4's descriptor,
        // the portable one on the accepted Socket's handle.
        const int limit = 256;
        using var server = Dotnet("EchoServer.dll", "tcp:0:interface=127.0.0.1", limit, layer);
        int port = ListeningPort(server, "Echo server listening on ");

        var clients = new List<Socket>();
        try
        {
            // More connections than the server may hold: the kernel queues them all (the backlog is the system's
            // maximum), and the server accepts until it reaches its reserve.
            for (int i = 0; i < 400; i++) clients.Add(Connect(port));
            server.WaitForStderr("pausing accepts");

            int open = Directory.GetFiles($"/proc/{server.Pid}/fd").Length;
            Assert.True(open <= limit - 32, $"the server holds {open} of its {limit} descriptors: no room left for the runtime{server.Report()}");
            Assert.False(server.HasExited, $"the server died{server.Report()}");
            Assert.Equal("first", Echo(clients[0], "first"));   // accepted before the limit: still served
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }

        // With the flood gone the server resumes accepting (after its back-off) and serves a newcomer.
        using var late = Connect(port);
        Assert.Equal("after the flood", Echo(late, "after the flood"));
        Assert.False(server.HasExited, $"the server died{server.Report()}");
    }

    [Fact]
    public void EchoClientsThatNeverReadCannotGrowTheServer()
    {
        using var server = Dotnet("EchoServer.dll", "tcp:0:interface=127.0.0.1");
        int port = ListeningPort(server, "Echo server listening on ");
        long before = ResidentBytes(server.Pid);

        var sent = Flood(Enumerable.Range(0, 4).Select(_ => Connect(port)).ToList(), 64L * Mib);

        long growth = ResidentBytes(server.Pid) - before;
        Assert.True(growth < 48L * Mib, $"the server grew by {growth / Mib} MiB while clients pushed {string.Join(", ", sent.Select(s => s / Mib))} MiB{server.Report()}");
        Assert.All(sent, s => Assert.True(s < 64L * Mib, "a client that never reads was able to push everything: no flow control"));
    }

    [Fact]
    public void ChatUsersThatNeverReadAreDroppedAndCannotGrowTheServer()
    {
        using var server = Dotnet("ChatServer.dll", "tcp:0:interface=127.0.0.1");
        int port = ListeningPort(server, "Chat server listening on ");

        var silent = Enumerable.Range(0, 5).Select(i =>
        {
            var s = Connect(port);
            s.Send(Encoding.UTF8.GetBytes($"silent{i}\r\n"));
            return s;
        }).ToList();
        using var talker = Connect(port);
        talker.Send("talker\r\n"u8);
        ReadUntil(talker, "Welcome, talker!");
        long before = ResidentBytes(server.Pid);

        // 16 MiB of chat: broadcast to five users who never read, 80 MiB that nobody will ever collect.
        var line = Encoding.UTF8.GetBytes(new string('x', 1022) + "\r\n");
        for (int i = 0; i < 16 * 1024; i++) talker.Send(line);

        foreach (var user in silent)
        {
            // Whatever reached the kernel's buffers is readable; then the connection ends (reset or closed).
            Assert.True(ReadsToTheEnd(user), "a user who never read was not dropped");
            user.Dispose();
        }
        long growth = ResidentBytes(server.Pid) - before;
        Assert.True(growth < 48L * Mib, $"the server grew by {growth / Mib} MiB{server.Report()}");
        // Others are unaffected: the talker is still connected and served.
        talker.Send("still here?\r\n"u8);
        Assert.False(server.HasExited, $"the server died{server.Report()}");
    }

    /// <summary>Pushes up to <paramref name="each"/> bytes on every socket at once, never reading; a socket that stays unwritable for 3 s is stuck. Returns what each pushed.</summary>
    private static long[] Flood(List<Socket> sockets, long each)
    {
        var sent = new long[sockets.Count];
        var chunk = new byte[64 * 1024];
        Parallel.For(0, sockets.Count, i =>
        {
            var s = sockets[i];
            s.Blocking = false;
            while (sent[i] < each)
            {
                try
                {
                    sent[i] += s.Send(chunk);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
                {
                    // Held back by flow control (or a slow server): stop once nothing moves for a while.
                    if (!s.Poll(3_000_000, SelectMode.SelectWrite)) break;
                }
            }
        });
        foreach (var s in sockets) s.Dispose();
        return sent;
    }

    private static bool ReadsToTheEnd(Socket socket)
    {
        socket.ReceiveTimeout = (int)ChildProcess.Patience.TotalMilliseconds;
        var buffer = new byte[256 * 1024];
        try
        {
            while (socket.Receive(buffer) > 0) { }
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            return false;
        }
    }

    private static void ReadUntil(Socket socket, string text)
    {
        socket.ReceiveTimeout = (int)ChildProcess.Patience.TotalMilliseconds;
        var seen = new StringBuilder();
        var buffer = new byte[4096];
        while (!seen.ToString().Contains(text, StringComparison.Ordinal))
        {
            int n = socket.Receive(buffer);
            Assert.True(n > 0, $"connection closed before \"{text}\"; got: {seen}");
            seen.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
    }

    private static string Echo(Socket socket, string text)
    {
        socket.Send(Encoding.UTF8.GetBytes(text));
        socket.ReceiveTimeout = (int)ChildProcess.Patience.TotalMilliseconds;
        var buffer = new byte[text.Length * 4];
        int got = 0;
        while (got < Encoding.UTF8.GetByteCount(text))
        {
            int n = socket.Receive(buffer, got, buffer.Length - got, SocketFlags.None);
            if (n == 0) break;
            got += n;
        }
        return Encoding.UTF8.GetString(buffer, 0, got);
    }

    private static Socket Connect(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        return socket;
    }

    private static long ResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(Kilobytes().Match(line).Groups[1].Value, CultureInfo.InvariantCulture) * 1024;
    }

    private static int ListeningPort(ChildProcess server, string prefix)
    {
        var line = server.WaitForLine(l => l.StartsWith(prefix, StringComparison.Ordinal), "where it listens");
        return int.Parse(PortOf().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Runs a sample's dll with the current dotnet host, optionally under a lower descriptor limit (ulimit -n) and on a
    /// given socket layer (TWINE_SOCKETS; otherwise the one this test run uses).
    /// </summary>
    private static ChildProcess Dotnet(string dll, string endpoint, int? descriptorLimit = null, string? socketLayer = null)
    {
        var host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var target = Path.Combine(AppContext.BaseDirectory, dll);
        var environment = socketLayer is null ? null : new Dictionary<string, string?> { ["TWINE_SOCKETS"] = socketLayer };
        return descriptorLimit is { } n
            ? new ChildProcess("/bin/sh", ["-c", $"ulimit -n {n} && exec \"$0\" \"$@\"", host, target, endpoint], environment: environment)
            : new ChildProcess(host, [target, endpoint], environment: environment);
    }

    [GeneratedRegex(@":(\d+) ")]
    private static partial Regex PortOf();

    [GeneratedRegex(@"(\d+)\s*kB")]
    private static partial Regex Kilobytes();
}
