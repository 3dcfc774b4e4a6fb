using System.Diagnostics;
using Twine.Reactors;
using Twine.Time;

// Reactor macro benchmarks. Each mode prints one line of key=value pairs that bench/reactor/run.sh turns into a table.
//   timers [count]                      schedule count timers (random 0..1000 ms), cancel every other, run until the rest fire
//   callfromthread [calls] [producers]  producer threads hand calls to the reactor; calls/s
//   idle [seconds]                      CPU time of a reactor with nothing to do
// The backend follows TWINE_REACTOR (epoll by default on Linux).

string mode = args.Length > 0 ? args[0] : "timers";
switch (mode)
{
    case "timers":
        Timers(args.Length > 1 ? int.Parse(args[1]) : 1_000_000);
        break;
    case "callfromthread":
        CallFromThread(args.Length > 1 ? long.Parse(args[1]) : 10_000_000, args.Length > 2 ? int.Parse(args[2]) : 1);
        break;
    case "idle":
        Idle(args.Length > 1 ? double.Parse(args[1]) : 10);
        break;
    default:
        Console.Error.WriteLine($"unknown mode '{mode}': timers | callfromthread | idle");
        Environment.Exit(2);
        break;
}

static Reactor NewReactor() => Reactor.Create(new ReactorOptions { InstallSignalHandlers = false });

static void Timers(int count)
{
    using var reactor = NewReactor();
    var counter = new Counter { Target = count - count / 2 };
    var calls = new IDelayedCall[count];
    var random = new Random(42);
    var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
    var wall = Stopwatch.StartNew();
    reactor.CallWhenRunning(() =>
    {
        for (int i = 0; i < count; i++)
            calls[i] = reactor.CallLater(TimeSpan.FromMilliseconds(random.Next(0, 1001)), Counter.Fire, counter);
        for (int i = 0; i < count; i += 2) calls[i].Cancel();
        Array.Clear(calls);
        counter.Reactor = reactor;
    });
    reactor.Run();
    wall.Stop();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
    Report("twine-" + reactor.BackendName, ("timers", count), ("fired", counter.Fired), ("wall_ms", wall.ElapsedMilliseconds),
        ("cpu_ms", (long)cpu.TotalMilliseconds), ("peak_rss_mb", PeakRssMb()));
}

static void CallFromThread(long calls, int producers)
{
    using var reactor = NewReactor();
    var counter = new Counter { Target = calls };
    var wall = new Stopwatch();
    reactor.CallWhenRunning(() =>
    {
        counter.Reactor = reactor;
        wall.Start();
        for (int p = 0; p < producers; p++)
        {
            long share = calls / producers + (p < calls % producers ? 1 : 0);
            new Thread(() =>
            {
                for (long i = 0; i < share; i++) reactor.CallFromThread(Counter.Fire, counter);
            }) { IsBackground = true }.Start();
        }
    });
    reactor.Run();
    wall.Stop();
    Report("twine-" + reactor.BackendName, ("producers", producers), ("calls", calls), ("wall_ms", wall.ElapsedMilliseconds),
        ("calls_per_s", (long)(calls / wall.Elapsed.TotalSeconds)), ("peak_rss_mb", PeakRssMb()));
}

static void Idle(double seconds)
{
    using var reactor = NewReactor();
    TimeSpan cpu0 = default;
    var wall = new Stopwatch();
    reactor.CallWhenRunning(() =>
    {
        cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        wall.Start();
        reactor.CallLater(TimeSpan.FromSeconds(seconds), reactor.Stop);
    });
    reactor.Run();
    wall.Stop();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
    Report("twine-" + reactor.BackendName, ("idle_s", seconds), ("wall_ms", wall.ElapsedMilliseconds),
        ("cpu_ms", Math.Round(cpu.TotalMilliseconds, 1)));
}

static long PeakRssMb()
{
    foreach (var line in File.ReadLines("/proc/self/status"))
        if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
    return -1;
}

static void Report(string name, params (string Key, object Value)[] values) =>
    Console.WriteLine($"name={name} " + string.Join(' ', values.Select(v => $"{v.Key}={v.Value}")));

/// <summary>Counts fired calls and stops the reactor at the target (a static callback with state: no closures).</summary>
internal sealed class Counter
{
    public static readonly Action<Counter> Fire = static c =>
    {
        if (++c.Fired == c.Target) c.Reactor!.Stop();
    };

    public long Target;
    public long Fired;
    public Reactor? Reactor;
}
