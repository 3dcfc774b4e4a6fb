namespace Twine.Samples.WhyPromises;

using Twine.Defer;
using Twine.Reactors;
using Twine.Time;

/// <summary>
/// "Why do we need promises in python?", "The problem with call-backs" and "Promises to the rescue": five asynchronous
/// operations in sequence, written three ways. As nested call-backs the code marches sideways — the pyramid of doom. As
/// one flat Deferred chain each step returns a Deferred and the chain waits for it. As an <c>async Deferred</c> method
/// (Twisted's inlineCallbacks) it reads like the synchronous code it replaces. All three print the same five steps.
/// </summary>
public sealed class PyramidSample : Sample
{
    public override string Name => "pyramid";
    public override Tutorial Tutorial => Tutorial.WhyPromises;
    public override string Section => "The problem with call-backs";
    public override string Summary => "five async steps as a pyramid of nested call-backs, a flat Deferred chain, and async/await";

    public override int Run(SampleContext context) =>
        Reactor.React((reactor, _) => Main(reactor, context), [], context.ReactorOptions);

    private static async Deferred Main(IReactorTime reactor, SampleContext context)
    {
        var steps = new Steps(reactor, context);

        context.WriteLine("1. nested call-backs (the pyramid of doom):");
        var pyramidDone = new Deferred<Unit>();
        steps.Pyramid(() => pyramidDone.Callback());
        await pyramidDone;

        context.WriteLine("2. one flat Deferred chain:");
        await steps.Chain();

        context.WriteLine("3. an async Deferred method (inlineCallbacks):");
        await steps.Inline();
    }

    private sealed class Steps(IReactorTime reactor, SampleContext context)
    {
        private TimeSpan Delay => context.Seconds(0.2);

        private void Processing(int step) => context.WriteLine($"   step {step} done");

        // The call-back style: the async function returns at once and calls `callback` when its work is done.
        private void AsyncFunction(int step, Action callback) => reactor.CallLater(Delay, () =>
        {
            Processing(step);
            callback();
        });

        // The Deferred style: the async function returns a Deferred that fires when its work is done.
        private Deferred<int> AsyncOperation(int step) => reactor.DeferLater(Delay, () =>
        {
            Processing(step);
            return step;
        });

        public void Pyramid(Action done)
        {
            AsyncFunction(1, () =>
            {
                // processing ...
                AsyncFunction(2, () =>
                {
                    // processing ...
                    AsyncFunction(3, () =>
                    {
                        // processing ...
                        AsyncFunction(4, () =>
                        {
                            // processing ...
                            AsyncFunction(5, () =>
                            {
                                // processing ...
                                done();
                            });
                        });
                    });
                });
            });
        }

        // Each callback returns the next step's Deferred; the chain pauses until it fires. The code stays flat.
        public Deferred<int> Chain() =>
            AsyncOperation(1)
                .AddCallback(_ => AsyncOperation(2))
                .AddCallback(_ => AsyncOperation(3))
                .AddCallback(_ => AsyncOperation(4))
                .AddCallback(_ => AsyncOperation(5));

        public async Deferred Inline()
        {
            await AsyncOperation(1);
            await AsyncOperation(2);
            await AsyncOperation(3);
            await AsyncOperation(4);
            await AsyncOperation(5);
        }
    }
}
