using Twine.Reactors.Io;
using System.Text;
using Twine.Reactors;
using static Twine.Tests.Reactors.ReactorTesting;

namespace Twine.Tests.Reactors;


/// <summary>
/// The contract every I/O backend meets, exercised through the reactor's registration API (what transports use) on
/// real socket pairs. One derived class per backend.
/// </summary>
public abstract class PollBackendConformanceTests : IDisposable
{
    private readonly Reactor _reactor;
    private readonly List<IDisposable> _cleanup = [];

    protected PollBackendConformanceTests(ReactorBackend backend) => _reactor = Create(backend);

    public void Dispose()
    {
        _reactor.Dispose();
        foreach (var d in _cleanup) d.Dispose();
    }

    private SocketPair Pair()
    {
        var pair = SocketPair.Create();
        _cleanup.Add(pair);
        return pair;
    }

    /// <summary>Iterates (each wait bounded by the guard) until <paramref name="done"/>; fails instead of hanging.</summary>
    private void IterateUntil(Func<bool> done)
    {
        for (int i = 0; i < 100 && !done(); i++) _reactor.Iterate(GuardLimit);
        Assert.True(done(), "condition not reached");
    }

    [Fact]
    public void WakeFromAnotherThreadEndsAWait()
    {
        bool ran = false;
        var thread = new Thread(() => _reactor.CallFromThread(() => ran = true));
        var elapsed = Elapsed(() =>
        {
            thread.Start();
            // Nothing registered, no timers: only the waker can end this wait early. If the call arrived during the
            // wait, it runs in the next iteration's first phase (which then must not wait).
            _reactor.Iterate(GuardLimit);
            if (!ran) _reactor.Iterate();
        });
        thread.Join();
        Assert.True(ran);
        Assert.True(elapsed < GuardLimit, $"the wait was not woken ({elapsed.TotalSeconds} s)");
    }

    [Fact]
    public void WakesAreCoalescedAndConsumed()
    {
        // Many wakes before a wait: one readiness, then the waker is quiet again (a zero wait returns at once).
        var thread = new Thread(() =>
        {
            for (int i = 0; i < 1000; i++) _reactor.CallFromThread(() => { });
        });
        thread.Start();
        thread.Join();
        _reactor.Iterate(GuardLimit);   // runs the calls (phase 1), then drains the waker (phase 6)
        long before = _reactor.Iterations;
        var elapsed = Elapsed(() => _reactor.Iterate(TimeSpan.FromMilliseconds(50)));
        Assert.Equal(before + 1, _reactor.Iterations);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(40), $"the waker stayed readable ({elapsed.TotalMilliseconds} ms)");
    }

    [Fact]
    public void AReadableSocketFiresItsHandler()
    {
        var pair = Pair();
        var handler = new RecordingHandler();
        handler.Registration = _reactor.Io.RegisterIo(pair.Left, IoEvents.Readable, handler);
        _reactor.Iterate();
        Assert.Empty(handler.Ready);

        byte[]? received = null;
        handler.OnReady = _ => received = SocketPair.Read(pair.Left);
        SocketPair.Write(pair.Right, Encoding.ASCII.GetBytes("hello"));
        IterateUntil(() => handler.Ready.Count > 0);
        Assert.Equal(IoEvents.Readable, handler.Ready[0]);
        Assert.Equal("hello", Encoding.ASCII.GetString(received!));

        // Level-triggered: consumed data stops the events.
        _reactor.Iterate();
        Assert.Single(handler.Ready);
    }

    [Fact]
    public void UnreadDataIsReportedAgainNextIteration()
    {
        var pair = Pair();
        var handler = new RecordingHandler();
        _reactor.Io.RegisterIo(pair.Left, IoEvents.Readable, handler);
        SocketPair.Write(pair.Right, [1, 2, 3]);
        IterateUntil(() => handler.Ready.Count > 0);
        _reactor.Iterate();
        Assert.Equal(2, handler.Ready.Count);
    }

    [Fact]
    public void AWritableSocketFiresAtOnce()
    {
        var pair = Pair();
        var handler = new RecordingHandler();
        _reactor.Io.RegisterIo(pair.Left, IoEvents.Writable, handler);
        IterateUntil(() => handler.Ready.Count > 0);
        Assert.Equal(IoEvents.Writable, handler.Ready[0]);
    }

    [Fact]
    public void ModifyingInterestChangesWhatIsReported()
    {
        var pair = Pair();
        var handler = new RecordingHandler();
        var registration = _reactor.Io.RegisterIo(pair.Left, IoEvents.Readable, handler);
        SocketPair.Write(pair.Right, [1]);

        registration.Interest = IoEvents.None;     // paused: out of the kernel set
        _reactor.Iterate();
        Assert.Empty(handler.Ready);

        registration.Interest = IoEvents.Writable;
        IterateUntil(() => handler.Ready.Count > 0);
        Assert.Equal(IoEvents.Writable, handler.Ready[^1]);

        registration.Interest = IoEvents.Readable | IoEvents.Writable;
        handler.Ready.Clear();
        IterateUntil(() => handler.Ready.Count > 0);
        Assert.Equal(IoEvents.Readable | IoEvents.Writable, handler.Ready[0]);

        registration.Interest = IoEvents.Readable;
        registration.Interest = IoEvents.Readable;  // unchanged: no-op
        Assert.Equal(IoEvents.Readable, registration.Interest);
        Assert.Throws<ArgumentOutOfRangeException>(() => registration.Interest = IoEvents.Error);
    }

    [Fact]
    public void UnregisterStopsEventsAndTheDescriptorCanBeRegisteredAgain()
    {
        var pair = Pair();
        var first = new RecordingHandler();
        var registration = _reactor.Io.RegisterIo(pair.Left, IoEvents.Readable, first);
        Assert.Throws<InvalidOperationException>(() => _reactor.Io.RegisterIo(pair.Left, IoEvents.Readable, new RecordingHandler()));
        registration.Dispose();
        registration.Dispose();   // idempotent
        Assert.False(registration.IsRegistered);
        Assert.Throws<ObjectDisposedException>(() => registration.Interest = IoEvents.Writable);

        SocketPair.Write(pair.Right, [1]);
        _reactor.Iterate();
        Assert.Empty(first.Ready);

        var second = new RecordingHandler();
        _reactor.Io.RegisterIo(pair.Left, IoEvents.Readable, second);
        IterateUntil(() => second.Ready.Count > 0);
        Assert.Empty(first.Ready);
    }

    [Fact]
    public void UnregisteringADescriptorAlreadyClosedIsTolerated()
    {
        var pair = SocketPair.Create();
        var registration = _reactor.Io.RegisterIo(pair.Left, IoEvents.Readable, new RecordingHandler());
        pair.Dispose();                 // closed first: a transport bug, but not one that should throw from cleanup
        registration.Dispose();
        Assert.Equal(0, _reactor.RegisteredIoCount);
    }

    [Fact]
    public void AHandlerUnregisteringAnotherReadyDescriptorInTheSameBatchSuppressesItsEvent()
    {
        var a = Pair();
        var b = Pair();
        var ha = new RecordingHandler();
        var hb = new RecordingHandler();
        ha.Registration = _reactor.Io.RegisterIo(a.Left, IoEvents.Readable, ha);
        hb.Registration = _reactor.Io.RegisterIo(b.Left, IoEvents.Readable, hb);
        // Whichever runs first removes the other; both are ready in the same poll.
        ha.OnReady = _ => hb.Registration!.Dispose();
        hb.OnReady = _ => ha.Registration!.Dispose();
        SocketPair.Write(a.Right, [1]);
        SocketPair.Write(b.Right, [1]);
        _reactor.Iterate(GuardLimit);
        Assert.Equal(1, ha.Ready.Count + hb.Ready.Count);
    }

    [Fact]
    public void AHandlerShrinkingAnotherInterestInTheSameBatchFiltersItsEvent()
    {
        var a = Pair();
        var b = Pair();
        var ha = new RecordingHandler();
        var hb = new RecordingHandler();
        ha.Registration = _reactor.Io.RegisterIo(a.Left, IoEvents.Readable, ha);
        hb.Registration = _reactor.Io.RegisterIo(b.Left, IoEvents.Readable, hb);
        ha.OnReady = _ => hb.Registration!.Interest = IoEvents.Writable;
        hb.OnReady = _ => ha.Registration!.Interest = IoEvents.Writable;
        SocketPair.Write(a.Right, [1]);
        SocketPair.Write(b.Right, [1]);
        _reactor.Iterate(GuardLimit);
        // The second handler, if reported in the same batch, was only readable: filtered out.
        Assert.Equal(1, ha.Ready.Count + hb.Ready.Count);
    }

    [Fact]
    public void APeerHangUpIsReportedAsReadableWithTheCondition()
    {
        var pair = Pair();
        var handler = new RecordingHandler();
        byte[]? read = null;
        handler.OnReady = _ =>
        {
            read = SocketPair.Read(pair.Left);
            handler.Registration!.Dispose();
        };
        handler.Registration = _reactor.Io.RegisterIo(pair.Left, IoEvents.Readable, handler);
        pair.CloseRight();
        IterateUntil(() => handler.Ready.Count > 0);
        Assert.True(handler.Ready[0].HasFlag(IoEvents.Readable));
        Assert.Empty(read!);   // EOF
    }

    [Fact]
    public void AThrowingHandlerIsLoggedAndOthersStillRun()
    {
        using var log = new LogCapture("handler boom");
        var a = Pair();
        var b = Pair();
        var ha = new RecordingHandler { OnReady = _ => throw new InvalidOperationException("handler boom") };
        var hb = new RecordingHandler();
        ha.Registration = _reactor.Io.RegisterIo(a.Left, IoEvents.Writable, ha);
        hb.Registration = _reactor.Io.RegisterIo(b.Left, IoEvents.Writable, hb);
        IterateUntil(() => ha.Ready.Count > 0 && hb.Ready.Count > 0);
        Assert.Contains($"descriptor {a.Left}", log.Events[0].Message);
    }

    [Fact]
    public void RegistrationIsReactorThreadOnly()
    {
        var pair = Pair();
        Exception? error = null;
        var thread = new Thread(() => error = Record.Exception(() => _reactor.Io.RegisterIo(pair.Left, IoEvents.Readable, new RecordingHandler())));
        thread.Start();
        thread.Join();
        Assert.IsType<InvalidOperationException>(error);
    }

    [Fact]
    public void AnIterateWithNothingReadyReturnsAfterItsTimeout()
    {
        var pair = Pair();
        _reactor.Io.RegisterIo(pair.Left, IoEvents.Readable, new RecordingHandler());
        var elapsed = Elapsed(() => _reactor.Iterate(TimeSpan.FromMilliseconds(30)));
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(25), $"returned after {elapsed.TotalMilliseconds} ms");
        Assert.True(elapsed < GuardLimit);
    }

    [Fact]
    public void TheWaitEndsAtTheNextTimer()
    {
        // Nothing but the timer can end the wait before the guard does.
        bool fired = false;
        _reactor.CallLater(TimeSpan.FromMilliseconds(20), () =>
        {
            fired = true;
            _reactor.Stop();
        });
        RunGuarded(_reactor);
        Assert.True(fired);
    }

    [Fact]
    public void ManyDescriptorsAreTrackedIndependently()
    {
        var pairs = Enumerable.Range(0, 40).Select(_ => Pair()).ToArray();
        var handlers = pairs.Select(p =>
        {
            var h = new RecordingHandler();
            h.Registration = _reactor.Io.RegisterIo(p.Left, IoEvents.Readable, h);
            h.OnReady = _ => SocketPair.Read(p.Left);
            return h;
        }).ToArray();
        // Remove every third, then make every descriptor readable.
        for (int i = 0; i < pairs.Length; i += 3) handlers[i].Registration!.Dispose();
        foreach (var p in pairs) SocketPair.Write(p.Right, [7]);
        IterateUntil(() => handlers.Where((_, i) => i % 3 != 0).All(h => h.Ready.Count > 0));
        Assert.All(handlers.Where((_, i) => i % 3 == 0), h => Assert.Empty(h.Ready));
        Assert.Equal(pairs.Length - (pairs.Length + 2) / 3, _reactor.RegisteredIoCount);
    }
}

public sealed class EpollBackendConformanceTests() : PollBackendConformanceTests(ReactorBackend.Epoll);

public sealed class PollBackendPollConformanceTests() : PollBackendConformanceTests(ReactorBackend.Poll);
