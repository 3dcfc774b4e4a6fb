using Twine.Logging;
using Twine.Reactors;
using static Twine.Tests.Reactors.ReactorTesting;

namespace Twine.Tests.Reactors;

/// <summary>The reactor thread's SynchronizationContext: await resumes on the reactor; Send blocks or runs inline.</summary>
public sealed class ReactorSynchronizationContextTests
{
    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void AwaitingTaskRunInReactorCodeResumesOnTheReactorThread(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        bool? ranOnPool = null, resumedOnReactor = null;
        reactor.CallWhenRunning(async () =>
        {
            Assert.IsType<ReactorSynchronizationContext>(SynchronizationContext.Current);
            ranOnPool = await Task.Run(() => !reactor.IsInReactorThread);
            resumedOnReactor = reactor.IsInReactorThread;
            reactor.Stop();
        });
        RunGuarded(reactor);
        Assert.True(ranOnPool);
        Assert.True(resumedOnReactor);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void TheContextIsRestoredWhenRunReturns(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        var before = SynchronizationContext.Current;
        reactor.CallWhenRunning(reactor.Stop);
        RunGuarded(reactor);
        Assert.Same(before, SynchronizationContext.Current);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void AnExceptionFromAnAsyncVoidCallbackIsLoggedAndTheLoopContinues(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        bool continued = false;
        // The async void method's exception is posted to the reactor's context and logged there; only then does the
        // test schedule the timer that proves the loop is still turning.
        void OnLog(LogEvent e)
        {
            if (e.Failure?.Value.Message != "async void boom") return;
            reactor.CallLater(TimeSpan.Zero, () =>
            {
                continued = true;
                reactor.Stop();
            });
        }
        Log.Observed += OnLog;
        try
        {
            reactor.CallWhenRunning(async () =>
            {
                await Task.Yield();
                throw new InvalidOperationException("async void boom");
            });
            RunGuarded(reactor);
        }
        finally
        {
            Log.Observed -= OnLog;
        }
        Assert.True(continued);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void SendFromAnotherThreadBlocksUntilRunAndRethrows(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        var results = new List<string>();
        reactor.CallWhenRunning(() =>
        {
            var context = SynchronizationContext.Current!;
            new Thread(() =>
            {
                context.Send(_ => results.Add($"sent on reactor={reactor.IsInReactorThread}"), null);
                results.Add("after send");   // Send returned only after the callback ran
                var error = Record.Exception(() => context.Send(_ => throw new InvalidOperationException("send boom"), null));
                results.Add(error?.Message ?? "no error");
                reactor.CallFromThread(reactor.Stop);
            }).Start();
        });
        RunGuarded(reactor);
        Assert.Equal(["sent on reactor=True", "after send", "send boom"], results);
    }

    [Theory, MemberData(nameof(Backends), MemberType = typeof(ReactorTesting))]
    public void SendOnTheReactorThreadRunsInline(ReactorBackend backend)
    {
        using var reactor = Create(backend);
        var order = new List<string>();
        reactor.CallWhenRunning(() =>
        {
            var context = SynchronizationContext.Current!;
            context.Send(_ => order.Add("inline"), null);
            order.Add("after");
            Assert.Same(context, context.CreateCopy());
            Assert.Same(reactor, ((ReactorSynchronizationContext)context).Reactor);
            reactor.Stop();
        });
        RunGuarded(reactor);
        Assert.Equal(["inline", "after"], order);
    }
}
