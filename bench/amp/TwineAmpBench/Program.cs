using Twine;
using Twine.Net.Endpoints;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Twine.Defer;
using Twine.Net;
using Twine.Protocols.Amp;
using Twine.Reactors;
using Twine.Time;

namespace TwineAmpBench;

/// <summary>
/// <c>server</c>: a Twine AMP server answering Sum on 127.0.0.1 (an OS-chosen port, printed as "PORT n").
/// <c>client PORT CONNECTIONS WARMUP_S SECONDS SERVER_PID [DEPTH]</c>: opens the connections, keeps DEPTH Sum calls
/// (default 1) in flight on each (a new call as soon as an answer arrives), and after the warm-up counts the answers for
/// SECONDS while reading the server's CPU time (utime + stime of every thread) from /proc; prints "calls_per_s N" and
/// "server_us_per_call N". With DEPTH above 1 the calls of one connection travel together, as pipelined requests do:
/// the generator's writes of one loop iteration leave in one send, and the server can answer them all in one.
/// </summary>
internal static class Program
{
    private sealed record SumArgs(long A, long B);

    private sealed record Total(long Value);

    // The command of Twisted's AMP documentation, as amp_twisted_server.py declares it.
    private static readonly AmpCommand<SumArgs, Total> Sum = new(
        "Sum",
        AmpSchema.Of(AmpType.Integer.Field("a", (SumArgs s) => s.A), AmpType.Integer.Field("b", (SumArgs s) => s.B), (a, b) => new SumArgs(a, b)),
        AmpSchema.Of(AmpType.Integer.Field("total", (Total t) => t.Value), t => new Total(t)));

    public static int Main(string[] args) => args switch
    {
        ["server"] => Serve(),
        ["client", var port, var connections, var warmup, var seconds, var pid] => Load(
            int.Parse(port, CultureInfo.InvariantCulture), int.Parse(connections, CultureInfo.InvariantCulture),
            double.Parse(warmup, CultureInfo.InvariantCulture), double.Parse(seconds, CultureInfo.InvariantCulture),
            int.Parse(pid, CultureInfo.InvariantCulture), 1),
        ["client", var port, var connections, var warmup, var seconds, var pid, var depth] => Load(
            int.Parse(port, CultureInfo.InvariantCulture), int.Parse(connections, CultureInfo.InvariantCulture),
            double.Parse(warmup, CultureInfo.InvariantCulture), double.Parse(seconds, CultureInfo.InvariantCulture),
            int.Parse(pid, CultureInfo.InvariantCulture), int.Parse(depth, CultureInfo.InvariantCulture)),
        _ => Usage(),
    };

    private static int Usage()
    {
        Console.Error.WriteLine("usage: TwineAmpBench server | client PORT CONNECTIONS WARMUP_S SECONDS SERVER_PID [DEPTH]");
        return 2;
    }

    private static int Serve() => Reactor.React(async (reactor, _) =>
    {
        var responders = new AmpResponders().Add(Sum, a => new Total(a.A + a.B));
        var port = reactor.ListenTcp(0, new Factory(() => new AmpProtocol(responders)) { Noisy = false }, interfaceAddress: "127.0.0.1");
        Console.WriteLine($"PORT {((IPEndPoint)port.Host).Port}");
        await new Deferred<Unit>();   // until the harness stops the process
    }, [], new ReactorOptions());

    private static int Load(int port, int connections, double warmup, double seconds, int serverPid, int depth) => Reactor.React(async (reactor, _) =>
    {
        if (depth < 1) throw new ArgumentOutOfRangeException(nameof(depth), "DEPTH is at least 1.");
        long answered = 0;
        var running = true;
        var endpoint = Endpoints.Client(reactor, $"tcp:host=127.0.0.1:port={port}");
        var amps = new List<AmpProtocol>();
        for (var i = 0; i < connections; i++) amps.Add(await Endpoints.ConnectProtocol(endpoint, new AmpProtocol()));

        void Ping(AmpProtocol amp, long n) => amp.CallRemote(Sum, new SumArgs(n, 1)).AddCallbacks(
            total =>
            {
                if (total.Value != n + 1) throw new InvalidOperationException($"Sum({n}, 1) answered {total.Value}");
                answered++;
                if (running) Ping(amp, total.Value);
            },
            failure =>
            {
                // Calls still in flight when the generator closes its connections fail; only earlier failures matter.
                if (running) Console.Error.WriteLine($"call failed: {failure.GetErrorMessage()}");
            });

        // DEPTH independent chains per connection, each starting from its own number so every answer is checked.
        foreach (var amp in amps)
            for (var chain = 0; chain < depth; chain++) Ping(amp, chain * 1_000_000_000L);
        await reactor.Sleep(TimeSpan.FromSeconds(warmup));
        var calls0 = answered;
        var (user0, sys0) = ServerCpuTicks(serverPid);
        var clock = Stopwatch.StartNew();
        await reactor.Sleep(TimeSpan.FromSeconds(seconds));
        var calls = answered - calls0;
        var (user1, sys1) = ServerCpuTicks(serverPid);
        var (user, sys) = (user1 - user0, sys1 - sys0);
        var elapsed = clock.Elapsed.TotalSeconds;
        running = false;
        if (calls == 0) throw new InvalidOperationException("No call was answered during the measurement.");
        Console.WriteLine($"calls_per_s {(calls / elapsed).ToString("F0", CultureInfo.InvariantCulture)}");
        // /proc counts CPU time in clock ticks of 1/100 s (USER_HZ on Linux).
        Console.WriteLine($"server_us_per_call {((user + sys) * 10_000.0 / calls).ToString("F2", CultureInfo.InvariantCulture)}");
        // The split shows how much of a call is the kernel's (three system calls on loopback TCP) and how much ours.
        Console.WriteLine($"server_user_us_per_call {(user * 10_000.0 / calls).ToString("F2", CultureInfo.InvariantCulture)}");
        Console.WriteLine($"server_sys_us_per_call {(sys * 10_000.0 / calls).ToString("F2", CultureInfo.InvariantCulture)}");
        foreach (var amp in amps) amp.Transport.LoseConnection();
    }, [], new ReactorOptions());

    private static (long User, long System) ServerCpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name (which may hold spaces) start after the last ')'; utime and stime are 14 and 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture), long.Parse(fields[12], CultureInfo.InvariantCulture));
    }
}
