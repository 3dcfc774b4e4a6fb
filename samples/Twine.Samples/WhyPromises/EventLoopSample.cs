namespace Twine.Samples.WhyPromises;

using System.Diagnostics;

/// <summary>
/// "Why do we need promises in python?", "Concurrency using event loops" (the tutorial's event_loop.py): a toy reactor,
/// all on one thread. It has a message queue of functions to run and an event dispatcher that, when a response arrives,
/// puts the call-back that was waiting for it on the queue. An async function (<c>GetData</c>) returns at once; its
/// call-back asks for the next piece of data, so the three requests run one after another without blocking the loop,
/// and the loop's own "processing" turns interleave with them. The loop ends when all the data has arrived.
/// </summary>
/// <remarks>
/// The tutorial's event_loop.py blocks <em>inside</em> the queued functions (<c>time.sleep</c>, <c>urlopen</c>), which
/// freezes its loop for every request. Here a request only registers interest in its response, as the tutorial's
/// prose describes (<c>event_dispatcher.markForBroadcast(callback)</c>); the response "arrives" after a simulated
/// latency, and while nothing is due the loop sleeps until the next arrival, as select() would, instead of spinning.
/// Twine's reactor is this loop done properly: see the slow-multiply sample.
/// </remarks>
public sealed class EventLoopSample : Sample
{
    public override string Name => "event-loop";
    public override Tutorial Tutorial => Tutorial.WhyPromises;
    public override string Section => "Concurrency using event loops";
    public override bool UsesRandomness => true;
    public override string Summary => "a toy reactor: a message queue of functions, and async functions that take call-backs";

    public override int Run(SampleContext context)
    {
        var random = context.NewRandom();
        var loop = new ToyEventLoop(context);
        var dataArr = new string?[3];

        // An async function: sends the request, returns at once. When the response arrives, the dispatcher queues the
        // function that stores it and calls the call-back.
        void GetData(int index, Action? callback)
        {
            double latency = SimulatedWeb.PickLatency(random);
            context.WriteLine($"get_data({index}): request sent (its response arrives in {latency:0.0} s, simulated)");
            loop.MarkForBroadcast(context.Seconds(latency), () =>
            {
                dataArr[index] = SimulatedWeb.PostTitles[index];
                context.WriteLine($"data received -- {index}: {dataArr[index]}");
                callback?.Invoke();
            });
        }

        // The chain of call-backs: each one asks for the next piece of data.
        GetData(0, () => GetData(1, () => GetData(2, null)));
        loop.Run(shouldStop: () => Array.TrueForAll(dataArr, d => d is not null));
        context.WriteLine("event loop: all data has arrived, the loop ends");
        return 0;
    }

    /// <summary>The toy reactor: a message queue and an event dispatcher, run by one loop on one thread.</summary>
    private sealed class ToyEventLoop(SampleContext context)
    {
        private readonly Queue<Action> _messageQueue = new();
        private readonly List<(TimeSpan Due, Action Callback)> _pendingEvents = [];
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        /// <summary>Asks the dispatcher to queue <paramref name="callback"/> when the response arrives.</summary>
        public void MarkForBroadcast(TimeSpan latency, Action callback) => _pendingEvents.Add((_clock.Elapsed + latency, callback));

        public void Run(Func<bool> shouldStop)
        {
            while (!shouldStop())
            {
                context.WriteLine("event loop: processing");

                // Events that have happened put their call-backs on the message queue, in the order they happened.
                var now = _clock.Elapsed;
                foreach (var e in _pendingEvents.Where(e => e.Due <= now).OrderBy(e => e.Due).ToList())
                {
                    _pendingEvents.Remove(e);
                    _messageQueue.Enqueue(e.Callback);
                }

                // Nothing else is running on this thread, so the next function in the queue can run.
                if (_messageQueue.TryDequeue(out var function))
                {
                    function();
                    continue;
                }

                // Nothing to do: wait for the next event instead of spinning.
                if (_pendingEvents.Count == 0) throw new InvalidOperationException("Nothing to wait for, but the loop was told to go on.");
                // (Rounded up to whole milliseconds: Thread.Sleep rounds down, and would wake just before the event.)
                var wait = _pendingEvents.Min(e => e.Due) - _clock.Elapsed;
                if (wait > TimeSpan.Zero) Thread.Sleep((int)Math.Ceiling(wait.TotalMilliseconds));
            }
        }
    }
}
