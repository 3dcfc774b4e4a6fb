using Twine.Defer;
using Twine.Reactors;
using static Twine.Tests.Reactors.ReactorTesting;

namespace Twine.Tests.Reactors;


/// <summary>The system event machinery, tested directly without running a reactor (TP1–TP6).</summary>
public sealed class ThreePhaseEventTests
{
    private readonly ThreePhaseEvent _event = new("test");
    private readonly List<string> _events = [];

    private SystemEventTrigger Add(SystemEventPhase phase, string name) =>
        _event.Add(phase, () =>
        {
            _events.Add(name);
            return null;
        });

    [Fact]
    public void TP1_InvalidPhaseIsRejectedAndHandlesAreOpaquePerPhase()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _event.Add((SystemEventPhase)7, () => null));
        var before = Add(SystemEventPhase.Before, "b");
        var during = Add(SystemEventPhase.During, "d");
        var after = Add(SystemEventPhase.After, "a");
        Assert.Equal(SystemEventPhase.Before, before.Phase);
        Assert.Equal(SystemEventPhase.During, during.Phase);
        Assert.Equal(SystemEventPhase.After, after.Phase);
        Assert.Equal("test", after.EventType);
    }

    [Fact]
    public void TP2_FiresBeforeThenDuringThenAfterInOrder()
    {
        Add(SystemEventPhase.After, "after 1");
        Add(SystemEventPhase.During, "during 1");
        Add(SystemEventPhase.Before, "before 1");
        Add(SystemEventPhase.Before, "before 2");
        Add(SystemEventPhase.During, "during 2");
        Add(SystemEventPhase.After, "after 2");
        _event.Fire();
        Assert.Equal(["before 1", "before 2", "during 1", "during 2", "after 1", "after 2"], _events);
    }

    [Fact]
    public void TP2_BeforeTriggersAddedWhileBeforeRunsAlsoRun()
    {
        _event.Add(SystemEventPhase.Before, () =>
        {
            _events.Add("first");
            Add(SystemEventPhase.Before, "added while running");
            return null;
        });
        Add(SystemEventPhase.During, "during");
        _event.Fire();
        Assert.Equal(["first", "added while running", "during"], _events);
    }

    [Fact]
    public void TP2_DeferredsFromBeforeTriggersHoldDuringAndAfterUntilAllFire()
    {
        var d1 = new Deferred<Unit>();
        var d2 = new Deferred<int>();
        _event.Add(SystemEventPhase.Before, () => d1);
        _event.Add(SystemEventPhase.Before, () => d2);
        Add(SystemEventPhase.During, "during");
        Add(SystemEventPhase.After, "after");
        _event.Fire();
        Assert.Empty(_events);
        d2.Callback(3);
        Assert.Empty(_events);
        d1.Callback();
        Assert.Equal(["during", "after"], _events);
    }

    [Fact]
    public void TP2_ExceptionsAndFailedDeferredsAreLoggedAndTheRestStillRun()
    {
        using var log = new LogCapture("trigger boom");
        _event.Add(SystemEventPhase.Before, () => throw new InvalidOperationException("trigger boom 1"));
        _event.Add(SystemEventPhase.Before, () => Deferred.Fail(new InvalidOperationException("trigger boom 2")));
        Add(SystemEventPhase.Before, "before");
        _event.Add(SystemEventPhase.During, () => throw new InvalidOperationException("trigger boom 3"));
        Add(SystemEventPhase.During, "during");
        Add(SystemEventPhase.After, "after");
        _event.Fire();
        Assert.Equal(["before", "during", "after"], _events);
        Assert.Equal(3, log.Events.Count);
    }

    [Fact]
    public void TP3_TriggersRunOnce()
    {
        Add(SystemEventPhase.Before, "b");
        Add(SystemEventPhase.During, "d");
        Add(SystemEventPhase.After, "a");
        _event.Fire();
        _event.Fire();
        Assert.Equal(["b", "d", "a"], _events);
    }

    [Fact]
    public void TP4_RemovedTriggerNeverRuns()
    {
        var removed = Add(SystemEventPhase.During, "removed");
        Add(SystemEventPhase.During, "kept");
        _event.Remove(removed);
        _event.Fire();
        Assert.Equal(["kept"], _events);
    }

    [Fact]
    public void TP4_RemovingTwiceOrAnUnknownOrForeignHandleThrows()
    {
        var trigger = Add(SystemEventPhase.After, "x");
        _event.Remove(trigger);
        Assert.Throws<ArgumentException>(() => _event.Remove(trigger));
        var other = new ThreePhaseEvent("other");
        var foreign = other.Add(SystemEventPhase.After, () => null);
        Assert.Throws<ArgumentException>(() => _event.Remove(foreign));
        Assert.Throws<ArgumentNullException>(() => _event.Remove(null!));
    }

    [Fact]
    public void TP4_BeforeTriggerRemovesAPendingDuringTrigger()
    {
        SystemEventTrigger? during = null;
        _event.Add(SystemEventPhase.Before, () =>
        {
            _event.Remove(during!);
            return null;
        });
        during = Add(SystemEventPhase.During, "during");
        Add(SystemEventPhase.After, "after");
        _event.Fire();
        Assert.Equal(["after"], _events);
    }

    [Fact]
    public void TP4_DuringTriggerRemovedWhileBeforeDeferredIsPendingNeverRuns()
    {
        var gate = new Deferred<Unit>();
        _event.Add(SystemEventPhase.Before, () => gate);
        var during = Add(SystemEventPhase.During, "during");
        _event.Fire();
        _event.Remove(during);
        gate.Callback();
        Assert.Empty(_events);
    }

    [Fact]
    public void TP4_RemovingAnAlreadyRunBeforeTriggerDuringTheBeforePhaseIsANoOp()
    {
        var gate = new Deferred<Unit>();
        var first = Add(SystemEventPhase.Before, "first");
        _event.Add(SystemEventPhase.Before, () =>
        {
            _event.Remove(first);   // already ran: Twisted only warns
            return gate;
        });
        Add(SystemEventPhase.During, "during");
        _event.Fire();
        Assert.True(_event.InBeforePhase);
        _event.Remove(first);       // still the before phase (waiting on gate): still a no-op
        gate.Callback();
        Assert.Equal(["first", "during"], _events);
        Assert.Throws<ArgumentException>(() => _event.Remove(first));
    }

    [Fact]
    public void TP4_RemovingAPendingBeforeTriggerFromAnEarlierOne()
    {
        SystemEventTrigger? second = null;
        _event.Add(SystemEventPhase.Before, () =>
        {
            _event.Remove(second!);
            return null;
        });
        second = Add(SystemEventPhase.Before, "second");
        _event.Fire();
        Assert.Empty(_events);
    }

    [Fact]
    public void TP4_SameDelegateTwiceGivesIndependentHandles()
    {
        // TP6: handles are tokens, not (callable, args) tuples.
        Func<Deferred?> callable = () =>
        {
            _events.Add("x");
            return null;
        };
        var a = _event.Add(SystemEventPhase.During, callable);
        _event.Add(SystemEventPhase.During, callable);
        _event.Remove(a);
        _event.Fire();
        Assert.Equal(["x"], _events);
    }

    [Fact]
    public void TP5_StateIsResetBeforeDuringAndEventsAreIndependent()
    {
        using var reactor = Create(ReactorBackend.Epoll);
        var events = new List<string>();
        var gate = new Deferred<Unit>();
        SystemEventTrigger? beforeOne = null;
        beforeOne = reactor.AddSystemEventTrigger(SystemEventPhase.Before, "one", () => gate);
        reactor.AddSystemEventTrigger(SystemEventPhase.During, "one", () =>
        {
            // The before phase is over: removing an already-run before trigger is now an error again.
            events.Add(Record.Exception(() => reactor.RemoveSystemEventTrigger(beforeOne)) is ArgumentException ? "reset" : "not reset");
        });
        reactor.AddSystemEventTrigger(SystemEventPhase.During, "two", () => events.Add("two"));
        reactor.FireSystemEvent("one");
        reactor.FireSystemEvent("two");       // not blocked by "one" waiting on its gate
        Assert.Equal(["two"], events);
        gate.Callback();
        Assert.Equal(["two", "reset"], events);
        reactor.FireSystemEvent("unknown");   // nothing registered: nothing happens
    }

    [Fact]
    public void ReactorRemoveSystemEventTrigger()
    {
        using var reactor = Create(ReactorBackend.Epoll);
        var events = new List<string>();
        var trigger = reactor.AddSystemEventTrigger(SystemEventPhase.During, "custom", () => events.Add("removed"));
        reactor.AddSystemEventTrigger(SystemEventPhase.During, "custom", () => events.Add("kept"));
        reactor.RemoveSystemEventTrigger(trigger);
        Assert.Throws<ArgumentException>(() => reactor.RemoveSystemEventTrigger(trigger));
        using var other = Create(ReactorBackend.Epoll);
        var foreign = other.AddSystemEventTrigger(SystemEventPhase.During, "elsewhere", () => { });
        Assert.Throws<ArgumentException>(() => reactor.RemoveSystemEventTrigger(foreign));
        reactor.FireSystemEvent("custom");
        Assert.Equal(["kept"], events);
        Assert.Equal(Reactor.Shutdown, "shutdown");
    }
}
