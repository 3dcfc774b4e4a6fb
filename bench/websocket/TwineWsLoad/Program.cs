using System.Diagnostics;
using System.Globalization;
using Twine.Defer;
using Twine.Reactors;
using Twine.Time;
using Twine.Web.WebSockets;

// Load generator: CONNS connections each keep WINDOW binary messages of SIZE bytes in flight against an echo server
// for SECONDS (after a warm-up), or until TOTAL bytes were echoed (the streaming scenario). Reads the server's
// utime+stime from /proc/PID/stat around the measured window and prints one line:
//   msgs=N seconds=S msgs_per_s=R server_cpu_us_per_msg=C
// usage: TwineWsLoad PORT SERVER_PID CONNS SIZE WINDOW WARMUP_S SECONDS [TOTAL_BYTES]
var a = args;
int port = int.Parse(a[0], CultureInfo.InvariantCulture);
int pid = int.Parse(a[1], CultureInfo.InvariantCulture);
int conns = int.Parse(a[2], CultureInfo.InvariantCulture);
int size = int.Parse(a[3], CultureInfo.InvariantCulture);
int window = int.Parse(a[4], CultureInfo.InvariantCulture);
double warmup = double.Parse(a[5], CultureInfo.InvariantCulture);
double seconds = double.Parse(a[6], CultureInfo.InvariantCulture);
long total = a.Length > 7 ? long.Parse(a[7], CultureInfo.InvariantCulture) : 0;

long ticksPerSecond = 100;   // USER_HZ on Linux
static long CpuTicks(int pid)
{
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
}

long echoed = 0;
bool measuring = false;
long measuredMessages = 0;
var payload = new byte[size];
new Random(1).NextBytes(payload);
var options = new WebSocketOptions { PerMessageDeflate = false, MaxMessageSize = 1 << 20, MaxFrameSize = 1 << 20 };

return Reactor.React(async (reactor, _) =>
{
    var clients = new List<Load>();
    for (int i = 0; i < conns; i++)
    {
        var factory = new WebSocketClientFactory(reactor, $"ws://127.0.0.1:{port}/", () => new Load(payload, window, () =>
        {
            echoed++;
            if (measuring) measuredMessages++;
        }), options);
        clients.Add((Load)await WebSocket.Connect(reactor, factory));
    }
    foreach (var c in clients) c.Start();
    if (total > 0)
    {
        // Streaming: measure until TOTAL bytes came back.
        long cpu0 = CpuTicks(pid);
        var sw = Stopwatch.StartNew();
        measuring = true;
        while (measuredMessages * size < total) await reactor.Sleep(TimeSpan.FromMilliseconds(20));
        Report(measuredMessages, sw.Elapsed.TotalSeconds, CpuTicks(pid) - cpu0);
    }
    else
    {
        await reactor.Sleep(TimeSpan.FromSeconds(warmup));
        long cpu0 = CpuTicks(pid);
        var sw = Stopwatch.StartNew();
        measuring = true;
        await reactor.Sleep(TimeSpan.FromSeconds(seconds));
        measuring = false;
        Report(measuredMessages, sw.Elapsed.TotalSeconds, CpuTicks(pid) - cpu0);
    }
    foreach (var c in clients) c.Stop();
}, args);

void Report(long messages, double elapsed, long cpuTicks)
{
    double cpuUs = cpuTicks * 1e6 / ticksPerSecond;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"msgs={messages} seconds={elapsed:0.000} msgs_per_s={messages / elapsed:0} server_cpu_us_per_msg={(messages > 0 ? cpuUs / messages : 0):0.00}"));
}

internal sealed class Load(byte[] payload, int window, Action onEcho) : WebSocketClientProtocol
{
    private bool _stopped;

    public void Start()
    {
        for (int i = 0; i < window; i++) SendMessage(payload);
    }

    public void Stop()
    {
        _stopped = true;
        SendClose();
    }

    public override Deferred? OnMessage(byte[] echoed, bool isBinary)
    {
        onEcho();
        if (!_stopped) SendMessage(payload);
        return null;
    }
}
