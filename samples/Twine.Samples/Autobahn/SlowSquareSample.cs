namespace Twine.Samples.Autobahn;

using Twine.Defer;
using Twine.Reactors;
using Twine.Time;

/// <summary>
/// Autobahn's "Asynchronous Programming", "Twisted Deferreds and inlineCallbacks" and "Asyncio Futures and
/// Coroutines": <c>SlowSquare(3)</c>, which takes a second without blocking, written four ways. Each prints 9.
/// <list type="number">
/// <item>A Deferred fired by <c>CallLater</c> (the tutorial's first Twisted program).</item>
/// <item>An <c>async Deferred&lt;int&gt;</c> method that awaits a non-blocking sleep (its <c>@inlineCallbacks</c>
/// version, with Autobahn's <c>sleep</c> helper).</item>
/// <item>A <see cref="Promise{T}"/> resolved by <c>CallLater</c> (the asyncio Future version: a read-only result
/// whose handlers always run later, on the loop).</item>
/// <item>A plain <see cref="Task{T}"/> from an <c>async</c> method awaiting <see cref="Task.Delay(TimeSpan, TimeProvider)"/>
/// on the reactor's clock (the <c>async def</c> coroutine version): .NET's own await, resuming on the reactor thread.</item>
/// </list>
/// </summary>
public sealed class SlowSquareSample : Sample
{
    public override string Name => "slow-square";
    public override Tutorial Tutorial => Tutorial.Autobahn;
    public override string Section => "Twisted Deferreds and inlineCallbacks; Asyncio Futures and Coroutines";
    public override string Summary => "SlowSquare(3) four ways: Deferred + CallLater, async Deferred, Promise, Task; 9 each time";

    public override int Run(SampleContext context) =>
        Reactor.React((reactor, _) => Test(reactor, context), [], context.ReactorOptions);

    // 1. Plain Deferreds: create one, ask the reactor to fire it in a second, return it at once.
    private static Deferred<int> SlowSquare(IReactorTime reactor, TimeSpan delay, int x)
    {
        var d = new Deferred<int>();

        void Resolve() => d.Callback(x * x);

        reactor.CallLater(delay, Resolve);
        return d;
    }

    // 2. inlineCallbacks: sequential-looking code that sleeps without blocking (reactor.Sleep is Autobahn's sleep).
    private static async Deferred<int> SlowSquareInline(IReactorTime reactor, TimeSpan delay, int x)
    {
        await reactor.Sleep(delay);
        return x * x;
    }

    // 3. A Promise, like an asyncio Future: whoever holds it can only watch it; the executor alone resolves it.
    private static Promise<int> SlowSquarePromise(IReactorTime reactor, TimeSpan delay, int x) =>
        new((resolve, reject) => reactor.CallLater(delay, () => resolve(x * x)));

    // 4. A coroutine: a plain async Task method. Task.Delay on the reactor's TimeProvider is a reactor timer, and the
    //    reactor's SynchronizationContext brings the await back to the reactor thread.
    private static async Task<int> SlowSquareTask(TimeProvider time, TimeSpan delay, int x)
    {
        await Task.Delay(delay, time);
        return x * x;
    }

    private static async Deferred Test(Reactor reactor, SampleContext context)
    {
        var second = context.Seconds(1);

        context.WriteLine("1. a Deferred fired by CallLater:");
        var d = SlowSquare(reactor, second, 3);
        var firstDone = d.AddCallback(res => context.WriteLine(res.ToString()));   // on_success(res): print(res)
        await firstDone;

        context.WriteLine("2. an async Deferred<int> method that awaits reactor.Sleep (inlineCallbacks):");
        int res2 = await SlowSquareInline(reactor, second, 3);
        context.WriteLine(res2.ToString());

        context.WriteLine("3. a Promise<int> resolved by CallLater (like an asyncio Future):");
        // Then returns a new promise (of the handler's result), which can be awaited like anything else.
        await SlowSquarePromise(reactor, second, 3).Then(res => context.WriteLine(res.ToString()));   // add_done_callback

        context.WriteLine("4. a plain Task<int> from an async method, awaited on the reactor (a coroutine):");
        int res4 = await SlowSquareTask(reactor.TimeProvider, second, 3);
        string thread = reactor.IsInReactorThread ? "back on the reactor thread" : "NOT on the reactor thread";
        context.WriteLine(res4.ToString());
        context.WriteLine($"   (the await resumed {thread})");
    }
}
