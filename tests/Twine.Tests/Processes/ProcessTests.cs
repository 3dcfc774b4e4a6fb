using System.Text;
using Twine.Processes;
using Twine.Reactors;
using Twine.Tests.Reactors;
using static Twine.Tests.Processes.ProcessTesting;

namespace Twine.Tests.Processes;

/// <summary>Spawning real programs (cat, sh, python3): output, exit reasons, signals, stdin, env, cwd, child descriptors.</summary>
[Collection(ProcessCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ProcessTests
{
    [Theory, MemberData(nameof(Setups), MemberType = typeof(ProcessTesting))]
    public void CatEchoesStreamedStdinAndCallbacksComeInTwistedOrder(ProcessSetup setup)
    {
        // PR1, PR4: stdin written in pieces reaches the child; closing it gives EOF; ProcessEnded comes last.
        var p = RunOne(setup, "cat", ["cat"], onMade: p =>
        {
            for (int i = 0; i < 100; i++) p.Transport.Write(Encoding.ASCII.GetBytes($"line {i}\n"));
            p.Transport.CloseStdin();
        });
        Assert.Equal(string.Concat(Enumerable.Range(0, 100).Select(i => $"line {i}\n")), p.Text(1));
        Assert.Equal("made", p.Events[0]);
        Assert.Equal("ended", p.Events[^1]);
        Assert.Contains("inLost", p.Events);
        Assert.True(p.Events.IndexOf("lost0") < p.Events.IndexOf("ended"));
        Assert.True(p.Events.IndexOf("lost1") < p.Events.IndexOf("ended"));
        Assert.True(p.Events.IndexOf("lost2") < p.Events.IndexOf("ended"));
        Assert.True(p.Events.IndexOf("exited") < p.Events.IndexOf("ended"));
        Assert.IsType<ProcessDoneException>(p.EndReason!.Value);
        Assert.Same(p.ExitReason, p.EndReason);
    }

    [Theory, MemberData(nameof(Setups), MemberType = typeof(ProcessTesting))]
    public void ANonZeroExitIsProcessTerminatedWithTheCode(ProcessSetup setup)
    {
        // PR2
        var p = RunOne(setup, "/bin/sh", ["sh", "-c", "echo to-out; echo to-err >&2; exit 3"]);
        var terminated = Assert.IsType<ProcessTerminatedException>(p.EndReason!.Value);
        Assert.Equal(3, terminated.ExitCode);
        Assert.Null(terminated.Signal);
        Assert.Equal("to-out\n", p.Text(1));
        Assert.Equal("to-err\n", p.Text(2));
        Assert.Contains("exit code 3", terminated.Message);
    }

    [Theory, MemberData(nameof(Setups), MemberType = typeof(ProcessTesting))]
    public void AChildKillingItselfReportsTheSignal(ProcessSetup setup)
    {
        // PR3 (on the portable layer, as the exit code 128 + 15 the runtime reports)
        var p = RunOne(setup, "/bin/sh", ["sh", "-c", "kill -TERM $$"]);
        setup.AssertKilledBy(p.EndReason!, 15);
    }

    public static TheoryData<ProcessSetup, string, int> SignalCases()
    {
        var cases = new TheoryData<ProcessSetup, string, int>();
        foreach (var setup in Setups)
        {
            cases.Add(setup, "TERM", 15);
            cases.Add(setup, "KILL", 9);
            cases.Add(setup, "SIGINT", 2);
        }
        return cases;
    }

    [Theory, MemberData(nameof(SignalCases))]
    public void SignalProcessDeliversTheSignalAndPidBecomesNullAfterExit(ProcessSetup setup, string name, int number)
    {
        // PR3, PR13: signalling by name; once reaped the pid is gone and signalling is an error.
        IProcessTransport? transport = null;
        var p = RunOne(setup, "cat", ["cat"], onMade: p =>
        {
            transport = p.Transport;
            Assert.NotNull(p.Transport.Pid);
            p.Transport.SignalProcess(name);
        });
        setup.AssertKilledBy(p.EndReason!, number);
        Assert.Null(transport!.Pid);
        Assert.Throws<ProcessExitedAlreadyException>(() => transport.SignalProcess("TERM"));
        Assert.Throws<ProcessExitedAlreadyException>(() => transport.SignalProcess(9));
    }

    [Theory, MemberData(nameof(Setups), MemberType = typeof(ProcessTesting))]
    public void AnUnknownSignalNameIsRefused(ProcessSetup setup)
    {
        using var reactor = Create(setup);
        var p = new RecordingProcess(reactor);
        var t = reactor.SpawnProcess(p, "cat", ["cat"]);
        Assert.Throws<ArgumentException>(() => t.SignalProcess("NOPE"));
        t.CloseStdin();
        ReactorTesting.RunGuarded(reactor);
        Assert.IsType<ProcessDoneException>(p.EndReason!.Value);
    }

    [Theory, MemberData(nameof(NativeSetups), MemberType = typeof(ProcessTesting))]
    public void TheChildStartsWithDefaultSignalsAndAnEmptyMask(ProcessSetup setup)
    {
        // The runtime ignores SIGPIPE; without POSIX_SPAWN_SETSIGDEF the child would inherit that. Native only: a child
        // of System.Diagnostics.Process does inherit the ignored SIGPIPE (measured: SigIgn 0x1000), which the portable
        // layer cannot change. Signals 1-31 only: glibc keeps its two internal real-time signals (32, 33) to itself.
        var p = RunOne(setup, "/bin/grep", ["grep", "-E", "^Sig(Ign|Blk)", "/proc/self/status"]);
        var masks = p.Text(1).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(l => l.Split(':')[0], l => Convert.ToUInt64(l.Split('\t')[1], 16) & 0x7FFF_FFFF);
        Assert.Equal(0UL, masks["SigBlk"]);
        Assert.Equal(0UL, masks["SigIgn"]);
    }

    [Theory, MemberData(nameof(Setups), MemberType = typeof(ProcessTesting))]
    public void PythonReadsStdinAndExitsWithItsCode(ProcessSetup setup)
    {
        var p = RunOne(setup, Python, [Python, "-c",
            "import sys; d = sys.stdin.buffer.read(); sys.stdout.buffer.write(d[::-1]); sys.exit(len(d))"], onMade: p =>
        {
            p.Transport.WriteSequence(["abc"u8.ToArray(), "def"u8.ToArray()]);
            p.Transport.CloseStdin();
        });
        Assert.Equal("fedcba", p.Text(1));
        Assert.Equal(6, Assert.IsType<ProcessTerminatedException>(p.EndReason!.Value).ExitCode);
    }

    [Theory, MemberData(nameof(Setups), MemberType = typeof(ProcessTesting))]
    public void EnvironmentAndWorkingDirectoryAreHonoured(ProcessSetup setup)
    {
        // PR10: the environment given is the child's whole environment.
        string dir = Directory.CreateTempSubdirectory("twine-proc-").FullName;
        try
        {
            var env = new Dictionary<string, string> { ["TWINE_X"] = "forty two", ["PATH"] = "/usr/bin:/bin" };
            var p = RunOne(setup, "sh", ["sh", "-c", "echo \"$TWINE_X\"; pwd; env | wc -l"], env: env, cwd: dir);
            var lines = p.Text(1).Split('\n');
            Assert.Equal("forty two", lines[0]);
            Assert.Equal(dir, lines[1]);
            Assert.True(int.Parse(lines[2].Trim(), System.Globalization.CultureInfo.InvariantCulture) <= 4, p.Text(1));   // TWINE_X, PATH, PWD and the shell's own
        }
        finally
        {
            Directory.Delete(dir);
        }
    }

    [Theory, MemberData(nameof(NativeSetups), MemberType = typeof(ProcessTesting))]
    public void ExtraChildDescriptorsCarryDataBothWays(ProcessSetup setup)
    {
        // PR9: fd 3 read by the parent, fd 4 written by it, fd 2 inherited from the parent's stderr. Native only:
        // System.Diagnostics.Process gives a child descriptors 0-2 and nothing else.
        var fds = new Dictionary<int, ChildFd> { [0] = ChildFd.Write, [1] = ChildFd.Read, [2] = ChildFd.Inherit(2), [3] = ChildFd.Read, [4] = ChildFd.Write };
        var p = RunOne(setup, Python, [Python, "-c",
            "import os; os.write(3, b'three:' + os.read(4, 100)); os.write(1, b'one')"], fds: fds,
            onMade: p =>
            {
                p.Transport.WriteToChild(4, "via four"u8);
                p.Transport.CloseChildFd(4);
                Assert.Throws<ArgumentException>(() => p.Transport.WriteToChild(3, "x"u8));
                Assert.Throws<ArgumentException>(() => p.Transport.WriteToChild(7, "x"u8));
            });
        Assert.Equal("three:via four", p.Text(3));
        Assert.Equal("one", p.Text(1));
        Assert.Contains("lost3", p.Events);
        Assert.Contains("lost4", p.Events);
        Assert.DoesNotContain("lost2", p.Events);   // inherited: not a pipe of ours
        Assert.IsType<ProcessDoneException>(p.EndReason!.Value);
    }

    [Theory, MemberData(nameof(NativeSetups), MemberType = typeof(ProcessTesting))]
    public void TheChildHoldsOnlyTheDescriptorsItWasGiven(ProcessSetup setup)
    {
        // Native only: the portable layer cannot close 0-2 in the child nor give it 3 (see the test below).
        var fds = new Dictionary<int, ChildFd> { [1] = ChildFd.Read, [3] = ChildFd.Read };
        // fstat each number, opening nothing: 0 and 2 were closed in the child, 1 and 3 given, nothing else leaked.
        var p = RunOne(setup, Python, [Python, "-c",
            "import os\ndef is_open(fd):\n    try:\n        os.fstat(fd); return True\n    except OSError:\n        return False\n" +
            "os.write(1, ','.join(str(fd) for fd in range(256) if is_open(fd)).encode())"], fds: fds);
        Assert.Equal("1,3", p.Text(1));
    }

    [Fact]
    public void ThePortableLayerRefusesDescriptorsItCannotGive()
    {
        using var reactor = Create(new ProcessSetup(ReactorBackend.Epoll, ProcessLayer.Portable));
        var p = new RecordingProcess();
        var extra = Assert.Throws<NotSupportedException>(() => reactor.SpawnProcess(p, "cat", ["cat"],
            childFds: new Dictionary<int, ChildFd> { [0] = ChildFd.Write, [1] = ChildFd.Read, [2] = ChildFd.Read, [3] = ChildFd.Read }));
        Assert.Contains("descriptor 3", extra.Message);
        var closed = Assert.Throws<NotSupportedException>(() => reactor.SpawnProcess(p, "cat", ["cat"],
            childFds: new Dictionary<int, ChildFd> { [1] = ChildFd.Read, [2] = ChildFd.Read }));
        Assert.Contains("cannot close the child's descriptor 0", closed.Message);
        var elsewhere = Assert.Throws<NotSupportedException>(() => reactor.SpawnProcess(p, "cat", ["cat"],
            childFds: new Dictionary<int, ChildFd> { [0] = ChildFd.Write, [1] = ChildFd.Inherit(2), [2] = ChildFd.Read }));
        Assert.Contains("Inherit(1)", elsewhere.Message);
        Assert.Empty(p.Events);
    }

    [Theory, MemberData(nameof(Setups), MemberType = typeof(ProcessTesting))]
    public void AMissingExecutableFailsAtSpawnTimeWithAClearError(ProcessSetup setup)
    {
        // PR5
        using var reactor = Create(setup);
        var p = new RecordingProcess();
        var missing = Assert.Throws<FileNotFoundException>(() => reactor.SpawnProcess(p, "/no/such/program", ["x"]));
        Assert.Contains("/no/such/program", missing.Message);
        var notOnPath = Assert.Throws<FileNotFoundException>(() => reactor.SpawnProcess(p, "no-such-program-twine", ["x"]));
        Assert.Contains("not found on the PATH", notOnPath.Message);
        Assert.Throws<UnauthorizedAccessException>(() => reactor.SpawnProcess(p, NotExecutable(), ["x"]));
        Assert.Throws<FileNotFoundException>(() => reactor.SpawnProcess(p, "/bin", ["x"]));
        Assert.Throws<FileNotFoundException>(() => reactor.SpawnProcess(p, "sh", ["sh"], workingDirectory: "/no/such/dir"));
        Assert.Empty(p.Events);
    }

    private static string NotExecutable()
    {
        string path = Path.Combine(Path.GetTempPath(), $"twine-not-executable-{Environment.ProcessId}");
        File.WriteAllText(path, "#!/bin/sh\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    [Theory, MemberData(nameof(Setups), MemberType = typeof(ProcessTesting))]
    public void ExitIsReportedWhileAGrandchildStillHoldsThePipes(ProcessSetup setup)
    {
        // PR1: the child exits at once; its background child keeps stdin and stdout open until it is given a line.
        // ProcessExited comes first, ProcessEnded only after every pipe has closed.
        using var reactor = Create(setup);
        var protocol = new ExitThenWrite(reactor);
        reactor.SpawnProcess(protocol, "/bin/sh", ["sh", "-c", "exec 3<&0; (read line <&3; echo late:$line) & exit 0"]);
        ReactorTesting.RunGuarded(reactor);
        Assert.True(protocol.Events.IndexOf("exited") < protocol.Events.IndexOf("out"), string.Join(",", protocol.Events));
        Assert.Equal("late:go\n", protocol.Text(1));
        Assert.Equal("ended", protocol.Events[^1]);
        Assert.IsType<ProcessDoneException>(protocol.EndReason!.Value);
    }

    /// <summary>Writes a line to the grandchild only once the child's exit has been reported.</summary>
    private sealed class ExitThenWrite(Reactor reactor) : RecordingProcess(reactor)
    {
        public override void ProcessExited(Failure reason)
        {
            base.ProcessExited(reason);
            Transport.Write("go\n"u8);
            Transport.CloseStdin();
        }
    }

    [Theory, MemberData(nameof(Setups), MemberType = typeof(ProcessTesting))]
    public void AProtocolThatThrowsClosesOnlyItsOwnPipes(ProcessSetup setup)
    {
        using var reactor = Create(setup);
        using var log = new ReactorTesting.LogCapture("ThrowingOutput");
        int ended = 0;
        void OneEnded()
        {
            if (++ended == 2) reactor.Stop();
        }
        var thrower = new ThrowingOutput(OneEnded);
        var other = new CountingEnd(OneEnded);
        reactor.SpawnProcess(thrower, "/bin/sh", ["sh", "-c", "echo hi; exec cat"]);
        reactor.SpawnProcess(other, "/bin/echo", ["echo", "fine"]);
        ReactorTesting.RunGuarded(reactor);
        Assert.Equal("fine\n", other.Text(1));
        Assert.Contains(log.Events, e => e.Message.Contains("ThrowingOutput", StringComparison.Ordinal));
        // Its pipes were closed, so cat saw EOF on stdin and exited cleanly.
        Assert.IsType<ProcessDoneException>(thrower.EndReason!.Value);
    }

    private sealed class ThrowingOutput(Action ended) : RecordingProcess
    {
        public override void OutReceived(ReadOnlySpan<byte> data) => throw new InvalidOperationException("boom");

        public override void ProcessEnded(Failure reason)
        {
            base.ProcessEnded(reason);
            ended();
        }
    }

    private sealed class CountingEnd(Action ended) : RecordingProcess
    {
        public override void ProcessEnded(Failure reason)
        {
            base.ProcessEnded(reason);
            ended();
        }
    }
}
