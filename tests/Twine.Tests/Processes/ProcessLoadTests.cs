using System.Diagnostics;
using Twine.Net;
using Twine.Processes;
using Twine.Processes.Portable;
using Twine.Reactors;
using Twine.Tests.Reactors;
using static Twine.Tests.Processes.ProcessTesting;

namespace Twine.Tests.Processes;

/// <summary>Many processes, large outputs and flow control: no zombies, no leaked descriptors, bounded memory.</summary>
[Collection(ProcessCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ProcessLoadTests
{
    /// <summary>The three ways a child's exit is noticed (pidfd, SIGCHLD, System.Diagnostics.Process), on epoll only: poll and wait change only the loop, which the other process tests cover.</summary>
    public static TheoryData<ProcessSetup> SequenceSetups => new()
    {
        new ProcessSetup(ReactorBackend.Epoll, ProcessLayer.Native, ChildReaping.PidFd),
        new ProcessSetup(ReactorBackend.Epoll, ProcessLayer.Native, ChildReaping.SigChld),
        new ProcessSetup(ReactorBackend.Epoll, ProcessLayer.Portable),
    };

    [Theory, MemberData(nameof(SequenceSetups))]
    public void AThousandSequentialProcessesLeaveNoZombiesAndNoDescriptors(ProcessSetup setup)
    {
        // PR12. Each `true` is spawned from the previous one's ProcessEnded; the issue asks for 1,000. Measured on the
        // shared 2-core machine for 1,000: 5 s (pidfd), 7 s (SIGCHLD), 7 s (portable) at load average 27; 12 s, 7 s,
        // 7 s at load 45. A profile at load 47 put 12.7 ms of a spawn in posix_spawn itself (the parent waits,
        // vfork-style, until the child has reached exec, so it pays the child's scheduling delay), against 0.9 ms
        // building the environment and 0.5 ms looking "true" up on the PATH: the time is the kernel's and the load's.
        using (var warmUp = Create(setup)) RunSequence(warmUp, 5);   // the JIT settles first
        using var reactor = Create(setup);
        int descriptors = CountProcessDescriptors();
        int zombies = CountZombieChildren();
        var done = RunSequence(reactor, Count);
        Assert.Equal(Count, done);
        Assert.Equal(descriptors, CountProcessDescriptors());
        Assert.Equal(zombies, CountZombieChildren());
        Assert.Equal(0, zombies);
    }

    private const int Count = 1000;

    private static int RunSequence(Reactor reactor, int count)
    {
        int done = 0;
        void Next()
        {
            if (done == count)
            {
                reactor.Stop();
                return;
            }
            reactor.SpawnProcess(new OnEnded(reason =>
            {
                Assert.IsType<ProcessDoneException>(reason.Value);
                done++;
                Next();
            }), "/bin/true", ["true"]);
        }
        reactor.CallWhenRunning(Next);
        ReactorTesting.RunGuarded(reactor);
        return done;
    }

    [Theory, MemberData(nameof(Setups), MemberType = typeof(ProcessTesting))]
    public void FiftyChildrenExitingAtOnceAreAllReaped(ProcessSetup setup)
    {
        // PR12: all fifty block reading stdin and exit together when the parent closes it. On the SIGCHLD path their
        // signals coalesce (fewer SIGCHLDs than children); each sweep must still find every exited child.
        using var reactor = Create(setup);
        var reasons = new List<Failure>();
        var transports = new List<IProcessTransport>();
        for (int i = 0; i < 50; i++)
        {
            transports.Add(reactor.SpawnProcess(new OnEnded(r =>
            {
                reasons.Add(r);
                if (reasons.Count == 50) reactor.Stop();
            }), "/bin/sh", ["sh", "-c", $"read x; exit {i % 5}"]));
        }
        reactor.CallWhenRunning(() =>
        {
            foreach (var t in transports) t.CloseStdin();
        });
        ReactorTesting.RunGuarded(reactor);
        Assert.Equal(50, reasons.Count);
        Assert.Equal(10, reasons.Count(r => r.Value is ProcessDoneException));
        Assert.Equal(10, reasons.Count(r => r.Value is ProcessTerminatedException { ExitCode: 4 }));
        Assert.Equal(0, CountZombieChildren());
    }

    [Theory]
    [InlineData(ChildReaping.PidFd)]
    [InlineData(ChildReaping.SigChld)]
    [InlineData(ChildReaping.Poll)]
    internal void EachReapingPathIsTheOneAskedFor(ChildReaping reaping)
    {
        // Poll is only chosen by itself where SIGCHLD is ignored; it still has to work.
        using var reactor = Create(new ProcessSetup(ReactorBackend.Epoll, ProcessLayer.Native, reaping));
        var p = new RecordingProcess(reactor);
        var t = (ChildProcess)reactor.SpawnProcess(p, "/bin/sh", ["sh", "-c", "exit 7"]);
        Assert.Equal(reaping, t.Watcher!.Method);
        ReactorTesting.RunGuarded(reactor);
        Assert.Equal(7, Assert.IsType<ProcessTerminatedException>(p.EndReason!.Value).ExitCode);
        Assert.Equal(0, CountZombieChildren());
    }

    [Theory, MemberData(nameof(Setups), MemberType = typeof(ProcessTesting))]
    public void SystemDiagnosticsProcessAndTwineChildrenCoexist(ProcessSetup setup)
    {
        // .NET's Process reaps its own children from its SIGCHLD handler; Twine reaps only the pids it spawned. Both
        // must see the right exit codes when their children exit at the same time.
        using var reactor = Create(setup);
        var twine = new RecordingProcess(reactor);
        reactor.SpawnProcess(twine, "/bin/sh", ["sh", "-c", "read x; exit 5"]);
        using var dotnet = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "exit 6"]))!;
        reactor.CallWhenRunning(() => ((IProcessTransport)twineTransport(twine)).CloseStdin());
        ReactorTesting.RunGuarded(reactor);
        Assert.True(dotnet.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(6, dotnet.ExitCode);
        Assert.Equal(5, Assert.IsType<ProcessTerminatedException>(twine.EndReason!.Value).ExitCode);

        static IProcessTransport twineTransport(RecordingProcess p) => p.Transport;
    }

    [Theory, MemberData(nameof(Setups), MemberType = typeof(ProcessTesting))]
    public void AHundredMegabytesThroughASlowConsumerKeepMemoryBounded(ProcessSetup setup)
    {
        // PR11: the consumer pauses after each megabyte and resumes on a later turn. While paused nothing is read
        // (the child blocks on its full pipe), so the parent never holds more than one read's worth.
        const long Total = 100L * 1024 * 1024;
        using var reactor = Create(setup);
        long received = 0, sinceResume = 0, maxHeapGrowth = 0;
        bool paused = false;
        long heapAtStart = GC.GetTotalMemory(forceFullCollection: true);
        Streamed? protocol = null;
        protocol = new Streamed(reactor, n =>
        {
            Assert.False(paused, "data arrived while paused");
            received += n;
            sinceResume += n;
            if (sinceResume < 1024 * 1024) return;
            sinceResume = 0;
            maxHeapGrowth = Math.Max(maxHeapGrowth, GC.GetTotalMemory(false) - heapAtStart);
            paused = true;
            var transport = protocol!.Transport;
            transport.PauseProducing();
            reactor.CallLater(TimeSpan.Zero, () =>
            {
                paused = false;
                transport.ResumeProducing();
            });
        });
        reactor.SpawnProcess(protocol, "/usr/bin/head", ["head", "-c", Total.ToString(System.Globalization.CultureInfo.InvariantCulture), "/dev/zero"]);
        ReactorTesting.RunGuarded(reactor);
        Assert.Equal(Total, received);
        Assert.IsType<ProcessDoneException>(protocol.EndReason!.Value);
        // Nothing is accumulated: garbage between collections aside, the heap stays far below the 100 MB that went through.
        Assert.True(maxHeapGrowth < 32 * 1024 * 1024, $"heap grew by {maxHeapGrowth} bytes");
    }

    [Theory, MemberData(nameof(Setups), MemberType = typeof(ProcessTesting))]
    public void AStreamingProducerIntoStdinIsPausedWhileTheChildDoesNotRead(ProcessSetup setup)
    {
        // PR11: a child that reads nothing until it gets SIGUSR1 (blocked, then awaited, so it cannot arrive too soon):
        // the producer is paused at the high-water mark, so the parent buffers about 64 KiB plus the pipe, not the
        // 8 MB the producer would write. The signal goes only once the child said it waits and the producer paused.
        using var reactor = Create(setup);
        var protocol = new RecordingProcess(reactor);
        var transport = reactor.SpawnProcess(protocol, Python, [Python, "-c",
            "import sys, os, signal\nsignal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})\nos.write(1, b'ready\\n')\n" +
            "signal.sigwait({signal.SIGUSR1})\nn = 0\nwhile True:\n    d = sys.stdin.buffer.read(65536)\n    if not d: break\n    n += len(d)\nprint(n)"]);
        var producer = new ChunkProducer(transport, chunks: 128, size: 65536);
        long maxBuffered = 0;
        bool signalled = false;
        void LetItRead()
        {
            if (signalled || producer.Pauses == 0 || !protocol.Text(1).StartsWith("ready\n", StringComparison.Ordinal)) return;
            signalled = true;
            transport.SignalProcess("USR1");
        }
        producer.OnPaused = () =>
        {
            maxBuffered = Math.Max(maxBuffered, StdinBuffered(transport));
            LetItRead();
        };
        protocol.OnData = (_, _, _) => LetItRead();
        producer.Finished = () =>
        {
            transport.UnregisterProducer();
            transport.CloseStdin();
        };
        transport.RegisterProducer(producer, streaming: true);
        reactor.CallWhenRunning(producer.ResumeProducing);
        ReactorTesting.RunGuarded(reactor);
        Assert.Equal("ready\n" + (128L * 65536).ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n", protocol.Text(1));
        Assert.True(producer.Pauses >= 1);
        Assert.True(maxBuffered <= 2 * 65536, $"buffered {maxBuffered}");
    }

    private static long StdinBuffered(IProcessTransport transport) => transport switch
    {
        ChildProcess native => native.StdinBuffered,
        PortableProcess portable => portable.StdinBuffered,
        _ => throw new ArgumentException($"Not a process transport: {transport}"),
    };

    /// <summary>Writes one chunk per turn while not paused.</summary>
    private sealed class ChunkProducer(IProcessTransport transport, int chunks, int size) : IPushProducer
    {
        private readonly byte[] _chunk = new byte[size];
        private int _written;
        private bool _paused = true;
        private bool _scheduled;

        public int Pauses { get; private set; }
        public Action? OnPaused { get; set; }
        public Action? Finished { get; set; }
        public Reactor? Reactor { get; set; }

        public void PauseProducing()
        {
            _paused = true;
            Pauses++;
            OnPaused?.Invoke();
        }

        public void ResumeProducing()
        {
            _paused = false;
            while (!_paused && _written < chunks)
            {
                _written++;
                transport.Write(_chunk);
            }
            if (_written == chunks && !_scheduled)
            {
                _scheduled = true;
                Finished?.Invoke();
            }
        }

        public void StopProducing() => _paused = true;
    }

    private sealed class OnEnded(Action<Failure> ended) : ProcessProtocol
    {
        public override void ProcessEnded(Failure reason) => ended(reason);
    }

    private sealed class Streamed(Reactor reactor, Action<int> onData) : RecordingProcess(reactor)
    {
        public override void OutReceived(ReadOnlySpan<byte> data) => onData(data.Length);

        public override void ChildDataReceived(int childFd, ReadOnlySpan<byte> data)
        {
            if (childFd == 1) OutReceived(data);
        }
    }
}
