using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Twine.Defer;
using Twine.Net;
using Twine.Protocols;
using Twine.Reactors;
using Twine.Testing;
using Twine.Time;

namespace Twine.Tests.Reactors;

/// <summary>
/// <see cref="ReactorGroup"/>: N reactors on N threads that start and stop together, with worker errors surfaced, and
/// SO_REUSEPORT listening sockets that let every reactor accept on the same port.
/// </summary>
public sealed class ReactorGroupTests
{
    private static readonly ReactorOptions Quiet = new() { InstallSignalHandlers = false };

    private static void AssertCompletes(ReactorGroup group)
    {
        // A guard, not a timing assertion: a group that never stops fails the test instead of hanging it.
        if (!((IAsyncResult)group.Completion).AsyncWaitHandle.WaitOne(ReactorTesting.GuardLimit))
        {
            group.Stop();
            Assert.Fail("The group did not stop within the guard limit.");
        }
    }

    [Fact]
    public void EachSetupRunsOnItsOwnRunningReactorThread()
    {
        using var group = ReactorGroup.Create(3, Quiet);
        var seen = new ConcurrentDictionary<int, (int Thread, bool OnReactor, bool Running, string? Name)>();
        int shutdowns = 0;
        using var allSetUp = new CountdownEvent(3);
        group.Start((reactor, worker) =>
        {
            seen[worker] = (Environment.CurrentManagedThreadId, reactor.IsInReactorThread, reactor.IsRunning, Thread.CurrentThread.Name);
            reactor.AddSystemEventTrigger(SystemEventPhase.After, Reactor.Shutdown, () => Interlocked.Increment(ref shutdowns));
            allSetUp.Signal();
        });
        Assert.Equal(3, group.Reactors.Count);
        Assert.All(group.Reactors, Assert.NotNull);
        Assert.True(allSetUp.Wait(ReactorTesting.GuardLimit), "not every worker ran its setup");
        group.Stop();   // waits for every reactor's shutdown
        Assert.True(group.Completion.IsCompletedSuccessfully);
        Assert.Equal(3, shutdowns);
        Assert.Equal([0, 1, 2], seen.Keys.Order());
        Assert.Equal(3, seen.Values.Select(v => v.Thread).Distinct().Count());
        Assert.All(seen.Values, v => Assert.True(v.OnReactor && v.Running));
        Assert.Equal("twine-reactor-1", seen[1].Name);
    }

    [Fact]
    public void OneReactorStoppingStopsTheWholeGroup()
    {
        using var group = ReactorGroup.Create(2, Quiet);
        int shutdowns = 0;
        group.Start((reactor, worker) =>
        {
            reactor.AddSystemEventTrigger(SystemEventPhase.After, Reactor.Shutdown, () => Interlocked.Increment(ref shutdowns));
            if (worker == 1) reactor.CallLater(TimeSpan.Zero, reactor.Stop);
        });
        AssertCompletes(group);
        Assert.True(group.Completion.IsCompletedSuccessfully);
        // Each setup ran during its reactor's startup, before any stop request could be processed: both shut down.
        Assert.Equal(2, shutdowns);
        group.Stop();   // already stopped: returns at once, no error
    }

    [Fact]
    public void ASignalStopsEveryReactorAndIsReported()
    {
        var signals = new ManualSignalSource();
        using var group = ReactorGroup.Create(2, new ReactorOptions { InstallSignalHandlers = true, SignalSource = signals });
        int shutdowns = 0;
        using var running = new CountdownEvent(2);
        group.Start(reactor =>
        {
            reactor.CallLater(ReactorTesting.GuardLimit, reactor.Stop);
            reactor.AddSystemEventTrigger(SystemEventPhase.After, Reactor.Shutdown, () => Interlocked.Increment(ref shutdowns));
            running.Signal();
        });
        Assert.True(running.Wait(ReactorTesting.GuardLimit), "the workers did not start");
        Assert.True(signals.Raise(System.Runtime.InteropServices.PosixSignal.SIGTERM));
        AssertCompletes(group);
        Assert.Equal(2, shutdowns);
        Assert.Equal(15, group.ExitSignal);
        Assert.False(signals.IsRegistered(System.Runtime.InteropServices.PosixSignal.SIGTERM));
    }

    [Fact]
    public void ASetupThatThrowsIsReportedWithItsWorkerAndStopsTheOthers()
    {
        using var group = ReactorGroup.Create(3, Quiet);
        var e = Assert.Throws<AggregateException>(() => group.Run((reactor, worker) =>
        {
            // A guard for the workers that do not fail: the group must stop them.
            reactor.CallLater(ReactorTesting.GuardLimit, reactor.Stop);
            if (worker == 2) throw new InvalidOperationException("worker two cannot start");
        }));
        var failure = Assert.IsType<ReactorWorkerException>(Assert.Single(e.InnerExceptions));
        Assert.Equal(2, failure.Worker);
        Assert.Equal("worker two cannot start", failure.InnerException!.Message);
        Assert.True(group.Completion.IsFaulted);
    }

    [Fact]
    public void ASetupDeferredThatFailsIsReported()
    {
        using var group = ReactorGroup.Create(2, Quiet);
        var e = Assert.Throws<AggregateException>(() => group.Run((reactor, worker) =>
        {
            reactor.CallLater(ReactorTesting.GuardLimit, reactor.Stop);
            return worker == 0
                ? Deferred.Fail<Unit>(new CannotListenException("127.0.0.1:1", new SocketException((int)SocketError.AccessDenied)))
                : null;
        }));
        var failure = Assert.IsType<ReactorWorkerException>(Assert.Single(e.InnerExceptions));
        Assert.Equal(0, failure.Worker);
        Assert.IsType<CannotListenException>(failure.InnerException);
    }

    [Fact]
    public void ArgumentsAreChecked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ReactorGroup.Create(0));
        Assert.Throws<ArgumentException>(() => ReactorGroup.Create(2, new ReactorOptions { Clock = new Clock() }));
        using var defaultSize = ReactorGroup.Create();
        Assert.Equal(Environment.ProcessorCount, defaultSize.Count);
    }

    [Fact]
    public void AGroupRunsOnceAndCannotBeDisposedWhileRunning()
    {
        var group = ReactorGroup.Create(1, Quiet);
        group.Start(_ => { });
        Assert.Throws<InvalidOperationException>(() => group.Start(_ => { }));
        Assert.Throws<InvalidOperationException>(group.Dispose);
        group.Stop();
        group.Dispose();
    }

    [Fact]
    public void TwoPlainListenersOnOnePortConflictButReusePortListenersShareIt()
    {
        using var reactor = ReactorTesting.Create(ReactorBackend.Epoll);
        var factory = Factory.ForProtocol<Echo>();
        var first = reactor.ListenTcp(0, factory, new TcpListenOptions { Interface = "127.0.0.1", ReusePort = true });
        int port = ((IPEndPoint)first.Host).Port;
        var second = reactor.ListenTcp(port, factory, new TcpListenOptions { Interface = "127.0.0.1", ReusePort = true });
        Assert.Equal(port, ((IPEndPoint)second.Host).Port);
        // A socket without SO_REUSEPORT may not join them.
        Assert.Throws<CannotListenException>(() => reactor.ListenTcp(port, factory, interfaceAddress: "127.0.0.1"));
        first.StopListening();
        second.StopListening();
    }

    [Fact]
    public void ReusePortListenersOnEveryReactorShareTheConnections()
    {
        const int Workers = 2, Connections = 40;
        using var group = ReactorGroup.Create(Workers, Quiet);
        var firstPort = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        int portNumber = 0;
        var accepted = new int[Workers];
        using var listening = new CountdownEvent(Workers);
        var options = new TcpListenOptions { Interface = "127.0.0.1", ReusePort = true };
        group.Start((reactor, worker) =>
        {
            reactor.CallLater(ReactorTesting.GuardLimit, reactor.Stop);
            var factory = new Factory(() => { Interlocked.Increment(ref accepted[worker]); return new Echo(); }) { Noisy = false };
            if (worker == 0)
            {
                var port = reactor.ListenTcp(0, factory, options);
                Volatile.Write(ref portNumber, ((IPEndPoint)port.Host).Port);
                firstPort.SetResult(portNumber);
                listening.Signal();
                return null;
            }
            // The others join the port the first one got (port 0 picks a new port per socket otherwise).
            return Deferred.FromTask(firstPort.Task, SynchronizationContext.Current).AddCallback(p =>
            {
                reactor.ListenTcp(p, factory, options);
                listening.Signal();
            });
        });
        try
        {
            Assert.True(listening.Wait(ReactorTesting.GuardLimit), "the workers did not all listen");
            for (int i = 0; i < Connections; i++)
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Volatile.Read(ref portNumber));
                var stream = client.GetStream();
                stream.Write([(byte)i]);
                var buffer = new byte[1];
                Assert.Equal(1, stream.Read(buffer));
                Assert.Equal((byte)i, buffer[0]);
            }
        }
        finally
        {
            group.Stop();
        }
        Assert.Equal(Connections, accepted.Sum());
        // Linux hashes each connection's addresses onto one of the sockets: with 40 connections from distinct ports,
        // every worker gets some (all on one would have probability 2^-39).
        Assert.All(accepted, n => Assert.True(n > 0, $"a worker accepted nothing: [{string.Join(", ", accepted)}]"));
    }
}
