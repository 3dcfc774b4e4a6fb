using System.Diagnostics;
using System.Globalization;
using Twine.Defer;
using Twine.Reactors;
using Twine.Web.Client;

// bench/http-client/run.sh's .NET clients: `HttpClientBench twine|httpclient URL CONNECTIONS SECONDS WARMUP`.
// Keeps CONNECTIONS requests in flight (one per keep-alive connection) for WARMUP seconds, then for SECONDS, and
// prints "requests=N seconds=S cpu_us=C": the requests completed in the measured window, its length, and this
// process's CPU time (user + system, every thread) over it.
if (args.Length != 5)
{
    Console.Error.WriteLine("usage: HttpClientBench twine|httpclient URL CONNECTIONS SECONDS WARMUP");
    return 2;
}
string mode = args[0], url = args[1];
int connections = int.Parse(args[2], CultureInfo.InvariantCulture);
double seconds = double.Parse(args[3], CultureInfo.InvariantCulture);
Window.WarmUp = double.Parse(args[4], CultureInfo.InvariantCulture);
var (count, elapsed, cpu) = mode switch
{
    "twine" => RunTwine(url, connections, seconds),
    "httpclient" => await RunHttpClient(url, connections, seconds),
    _ => throw new ArgumentException($"unknown client '{mode}'"),
};
Console.WriteLine(FormattableString.Invariant($"requests={count} seconds={elapsed:0.000} cpu_us={cpu:0}"));
return 0;

static (long, double, double) RunTwine(string url, int connections, double seconds)
{
    using var reactor = Reactor.Create(new ReactorOptions { InstallSignalHandlers = false });
    var pool = new HttpConnectionPool(reactor) { MaxConnectionsPerHost = connections };
    var agent = new Agent(reactor, pool);
    var window = new Window(seconds);
    Exception? failed = null;
    void Loop()
    {
        agent.Request("GET", url).AddCallback(r => r.ReadBody(1 << 20)).AddBoth(outcome =>
        {
            if (outcome.Failure is { } f)
            {
                failed ??= f.Value;
                reactor.Stop();
                return;
            }
            if (window.Count()) Loop();
            else if (window.AllStopped(connections)) reactor.Stop();
        });
    }
    reactor.CallWhenRunning(() =>
    {
        for (int i = 0; i < connections; i++) Loop();
    });
    reactor.Run();
    if (failed is not null) throw failed;
    return window.Result();
}

static async Task<(long, double, double)> RunHttpClient(string url, int connections, double seconds)
{
    using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseCookies = false, AutomaticDecompression = System.Net.DecompressionMethods.None });
    var window = new Window(seconds);
    async Task Loop()
    {
        do
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            _ = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        }
        while (window.Count());
    }
    await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(Loop)));
    return window.Result();
}

/// <summary>A warm-up, then the measured window; thread-safe counting.</summary>
internal sealed class Window(double seconds)
{
    /// <summary>Seconds of requests before the window opens (JIT, connections).</summary>
    public static double WarmUp { get; set; } = 1.0;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _lock = new();
    private long _count, _start = -1;
    private TimeSpan _cpuStart, _cpuEnd;
    private double _startS, _endS = -1;
    private int _stopped;

    /// <summary>Counts one finished request; false once the window is over.</summary>
    public bool Count()
    {
        lock (_lock)
        {
            double now = _clock.Elapsed.TotalSeconds;
            if (_start < 0)
            {
                if (now < WarmUp) return true;
                _start = 0;
                _startS = now;
                _cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
                return true;
            }
            if (_endS >= 0) return false;
            _count++;
            if (now - _startS < seconds) return true;
            _endS = now;
            _cpuEnd = Process.GetCurrentProcess().TotalProcessorTime;
            return false;
        }
    }

    public bool AllStopped(int loops) => Interlocked.Increment(ref _stopped) == loops;

    public (long, double, double) Result() => (_count, _endS - _startS, (_cpuEnd - _cpuStart).TotalMicroseconds);
}
