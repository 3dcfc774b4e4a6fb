using System.Text;
using Twine.Defer;
using Twine.Processes;
using Twine.Reactors;
using Twine.Tests.Reactors;

namespace Twine.Tests.Processes;

/// <summary>A process protocol that records every call in order, and stops the reactor when the process has ended.</summary>
internal class RecordingProcess(Reactor? reactor = null) : ProcessProtocol
{
    private readonly Dictionary<int, MemoryStream> _data = [];

    public List<string> Events { get; } = [];
    public Failure? ExitReason { get; private set; }
    public Failure? EndReason { get; private set; }
    public Action<RecordingProcess>? OnMade { get; set; }
    public Action<RecordingProcess, int, int>? OnData { get; set; }

    public byte[] Data(int fd) => _data.TryGetValue(fd, out var s) ? s.ToArray() : [];
    public string Text(int fd) => Encoding.UTF8.GetString(Data(fd));
    public long Count(int fd) => _data.TryGetValue(fd, out var s) ? s.Length : 0;

    public override void ConnectionMade()
    {
        Events.Add("made");
        OnMade?.Invoke(this);
    }

    public override void ChildDataReceived(int childFd, ReadOnlySpan<byte> data)
    {
        if (!_data.TryGetValue(childFd, out var s)) _data[childFd] = s = new MemoryStream();
        s.Write(data);
        base.ChildDataReceived(childFd, data);
        OnData?.Invoke(this, childFd, data.Length);
    }

    public override void OutReceived(ReadOnlySpan<byte> data) => AddOnce("out");

    public override void ErrReceived(ReadOnlySpan<byte> data) => AddOnce("err");

    public override void ChildConnectionLost(int childFd)
    {
        Events.Add($"lost{childFd}");
        base.ChildConnectionLost(childFd);
    }

    public override void InConnectionLost() => Events.Add("inLost");

    public override void ProcessExited(Failure reason)
    {
        Events.Add("exited");
        ExitReason = reason;
    }

    public override void ProcessEnded(Failure reason)
    {
        Events.Add("ended");
        EndReason = reason;
        reactor?.Stop();
    }

    private void AddOnce(string name)
    {
        if (!Events.Contains(name)) Events.Add(name);
    }
}

internal static class ProcessTesting
{
    public const string Python = "/usr/bin/python3";

    /// <summary>
    /// Every way children run: the native layer on epoll and on poll (pidfd), the native layer reaping by SIGCHLD, and
    /// the portable layer on epoll and on the descriptor-free wait backend (what Windows runs).
    /// </summary>
    public static TheoryData<ProcessSetup> Setups => new()
    {
        new ProcessSetup(ReactorBackend.Epoll, ProcessLayer.Native, ChildReaping.PidFd),
        new ProcessSetup(ReactorBackend.Poll, ProcessLayer.Native, ChildReaping.PidFd),
        new ProcessSetup(ReactorBackend.Epoll, ProcessLayer.Native, ChildReaping.SigChld),
        new ProcessSetup(ReactorBackend.Epoll, ProcessLayer.Portable),
        new ProcessSetup(ReactorBackend.Wait, ProcessLayer.Portable),
    };

    /// <summary>
    /// The native layer only, on both ways of noticing exits: for tests of what only posix_spawn can do (descriptors
    /// beyond 2, closing 0–2 in the child, the child's signal dispositions) or what only a wait status tells (a signal).
    /// </summary>
    public static TheoryData<ProcessSetup> NativeSetups => new()
    {
        new ProcessSetup(ReactorBackend.Epoll, ProcessLayer.Native, ChildReaping.PidFd),
        new ProcessSetup(ReactorBackend.Epoll, ProcessLayer.Native, ChildReaping.SigChld),
    };

    public static Reactor Create(ReactorBackend backend = ReactorBackend.Epoll) => ReactorTesting.Create(backend);

    public static Reactor Create(ProcessSetup setup) => Reactor.Create(new ReactorOptions
    {
        Backend = setup.Backend,
        // The wait backend polls no descriptors, so its sockets (unused here) must be portable too.
        SocketLayer = setup.Backend == ReactorBackend.Wait ? SocketLayer.Portable : SocketLayer.Auto,
        ProcessLayer = setup.Layer,
        ChildReaping = setup.Reaping,
        InstallSignalHandlers = false,
    });

    /// <summary>Spawns one process with a recording protocol and runs the reactor until it has ended.</summary>
    public static RecordingProcess RunOne(ProcessSetup setup, string exe, string[] args, Action<RecordingProcess>? onMade = null,
        IReadOnlyDictionary<string, string>? env = null, string? cwd = null, IReadOnlyDictionary<int, ChildFd>? fds = null)
    {
        using var reactor = Create(setup);
        var protocol = new RecordingProcess(reactor) { OnMade = onMade };
        reactor.SpawnProcess(protocol, exe, args, env, cwd, fds);
        ReactorTesting.RunGuarded(reactor);
        return protocol;
    }

    /// <summary>Descriptors of this process that are pipes or pidfds: what the process layer opens and must close.</summary>
    public static int CountProcessDescriptors()
    {
        int n = 0;
        foreach (var link in Directory.GetFiles("/proc/self/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(link).LinkTarget;
            }
            catch (IOException)
            {
                continue;   // closed between listing and reading
            }
            if (target is not null && (target.StartsWith("pipe:", StringComparison.Ordinal) || target.Contains("pidfd", StringComparison.Ordinal))) n++;
        }
        return n;
    }

    /// <summary>This process's children that are zombies (exited, not reaped).</summary>
    public static int CountZombieChildren() => CountChildren(zombiesOnly: true);

    /// <summary>
    /// Stops <paramref name="reactor"/> once this process has no children left at all (running or unreaped), checking
    /// every few milliseconds: for tests whose last callback comes before their child has exited and been reaped.
    /// </summary>
    public static void StopWhenNoChildren(Reactor reactor)
    {
        if (CountChildren(zombiesOnly: false) == 0) reactor.Stop();
        else reactor.CallLater(TimeSpan.FromMilliseconds(5), () => StopWhenNoChildren(reactor));
    }

    private static int CountChildren(bool zombiesOnly)
    {
        int self = Environment.ProcessId, n = 0;
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _)) continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue;
            }
            // "pid (comm) S ppid ...": comm may contain spaces and parentheses, so parse after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if ((!zombiesOnly || fields[0] == "Z") && int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) == self) n++;
        }
        return n;
    }
}
