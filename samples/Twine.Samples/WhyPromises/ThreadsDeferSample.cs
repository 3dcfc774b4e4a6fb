namespace Twine.Samples.WhyPromises;

using Twine.Defer;
using Twine.Reactors;
using Twine.Time;

/// <summary>
/// "Why do we need promises in python?", "To sum it all up" (the tutorial's thread_callbacks_defer.py): promises in a
/// multi-threaded program. Three fetches run on worker threads, chained with Deferreds: each call-back starts the next
/// fetch and returns its Deferred, so the data is handled 1, 2, 3 in order while the boss (here, the reactor) keeps
/// processing.
/// </summary>
/// <remarks>
/// <b>Correction.</b> The tutorial's worker thread calls <c>promise.callback('success')</c> itself, so the whole chain
/// of call-backs runs on that worker thread, racing with everything else. Deferreds are not thread-safe, by design: a
/// worker must hand its result to the reactor thread, which fires the Deferred. <c>GetData</c> below does that by hand
/// with <see cref="Reactor.CallFromThread(Action)"/>; <see cref="Reactor.DeferToThread{T}(Func{T})"/> (used for the
/// third fetch) does the same in one call, on the reactor's thread pool.
/// </remarks>
public sealed class ThreadsDeferSample : Sample
{
    public override string Name => "threads-defer";
    public override Tutorial Tutorial => Tutorial.WhyPromises;
    public override string Section => "To sum it all up (promises in a multi-threaded context)";
    public override bool UsesRandomness => true;
    public override string Summary => "three worker-thread fetches chained with Deferreds; workers hand results to the reactor";

    public override int Run(SampleContext context) =>
        Reactor.React((reactor, _) => Main(reactor, context), [], context.ReactorOptions);

    private static Deferred Main(Reactor reactor, SampleContext context)
    {
        var random = context.NewRandom();
        var latencies = new[] { SimulatedWeb.PickLatency(random), SimulatedWeb.PickLatency(random), SimulatedWeb.PickLatency(random) };

        context.WriteLine("(No network here: each worker thread sleeps for its latency instead of calling the web API.)");

        // The tutorial's get_data(post_id, promise), corrected: the worker never touches the Deferred.
        Deferred<string> GetData(int postId)
        {
            var promise = new Deferred<string>();
            var worker = new Thread(() =>
            {
                string title = SimulatedWeb.FetchPostTitle(postId, context.Seconds(latencies[postId - 1]));
                context.WriteLine($"worker: data received -- {postId} (after {latencies[postId - 1]:0.0} s)");
                reactor.CallFromThread(() => promise.Callback(title));
            })
            { IsBackground = true };
            worker.Start();
            return promise;
        }

        Deferred<string> GetDataOnThreadPool(int postId) => reactor.DeferToThread(() =>
        {
            string title = SimulatedWeb.FetchPostTitle(postId, context.Seconds(latencies[postId - 1]));
            context.WriteLine($"worker: data received -- {postId} (after {latencies[postId - 1]:0.0} s)");
            return title;
        });

        void Handle(int postId, string title)
        {
            string where = reactor.IsInReactorThread ? "on the reactor thread" : "on a worker thread (wrong!)";
            context.WriteLine($"reactor: handled data {postId} {where}: {title}");
        }

        Deferred<string> CallBack1() => GetData(1);

        Deferred<string> CallBack2(string result)
        {
            Handle(1, result);
            return GetData(2);
        }

        Deferred<string> CallBack3(string result)
        {
            Handle(2, result);
            return GetDataOnThreadPool(3);
        }

        // The boss keeps processing while the fetches run: here that is a LoopingCall on the reactor.
        var processing = new LoopingCall(reactor, () => context.WriteLine("reactor: processing"));
        processing.Start(context.Seconds(0.5));

        return CallBack1()
            .AddCallback(CallBack2)
            .AddCallback(CallBack3)
            .AddCallback(result => Handle(3, result))
            .AddFinally(processing.Stop)
            .AddCallback(_ => context.WriteLine("reactor: data 1, 2 and 3 handled in order"));
    }
}
