namespace Twine.Samples.WhyPromises;

/// <summary>
/// "Why do we need promises in python?", "The power of call-backs → Can we do better?" (the tutorial's
/// thread_callbacks.py): an <see cref="Observer"/> keeps call-backs by id and triggers them when the worker fetching
/// that id finishes. The driver nests the call-backs — the one for data 1 starts the fetch of data 2 — which enforces
/// the order without a single flag, while the boss goes on with its own processing.
/// </summary>
/// <remarks>
/// <para>The tutorial's <c>async_function_1</c> starts the fetch and only then registers the call-back: if the fetch
/// finished first, the trigger would find nothing and the call-back would never run. Here the call-back is registered
/// before the work starts.</para>
/// <para>The call-backs run on the worker threads that trigger them, so anything they share with the boss needs a lock
/// or a thread-safe type. Twine avoids that entirely by handing results to the reactor thread (the threads-defer
/// sample).</para>
/// </remarks>
public sealed class ObserverCallbacksSample : Sample
{
    public override string Name => "observer-callbacks";
    public override Tutorial Tutorial => Tutorial.WhyPromises;
    public override string Section => "The power of call-backs";
    public override bool UsesRandomness => true;
    public override string Summary => "an Observer triggers call-backs when workers finish; nesting them fixes the order";

    public override int Run(SampleContext context)
    {
        var random = context.NewRandom();
        var observer = new Observer();
        using var finished = new ManualResetEventSlim();

        context.WriteLine("(No network here: each worker thread sleeps for its latency instead of calling the web API.)");

        void GetData(int postId)
        {
            double latency = SimulatedWeb.PickLatency(random);
            new Thread(() =>
            {
                string title = SimulatedWeb.FetchPostTitle(postId, context.Seconds(latency));
                context.WriteLine($"worker: data received -- {postId} (after {latency:0.0} s)");
                // Runs every call-back registered for this id, here on the worker thread.
                observer.Trigger(postId, title);
            }).Start();
        }

        void AsyncFunction1(Action<string>? callback)
        {
            if (callback is not null) observer.Register(callback, 1);
            GetData(1);
        }

        void AsyncFunction2(Action<string>? callback)
        {
            if (callback is not null) observer.Register(callback, 2);
            GetData(2);
        }

        void Driver()
        {
            void CallBack1(string result)
            {
                context.WriteLine($"call_back_1: processing data 1: {result}");

                void CallBack2(string result2)
                {
                    context.WriteLine($"call_back_2: processing data 2: {result2}");
                    finished.Set();
                }

                AsyncFunction2(CallBack2);
            }

            AsyncFunction1(CallBack1);
        }

        // boss_thread(): start the driver, then get on with other processing until the call-backs are done.
        context.WriteLine("boss: processing");
        Driver();
        while (!finished.Wait(context.Seconds(0.5))) context.WriteLine("boss: processing");
        context.WriteLine("boss: both call-backs have run, data 1 then data 2");
        return 0;
    }

    /// <summary>Registers call-backs by id and runs them when <see cref="Trigger"/> is called for that id.</summary>
    private sealed class Observer
    {
        private readonly Lock _lock = new();
        private readonly List<(int Id, Action<string> Callback)> _callbackList = [];

        public void Register(Action<string> callback, int id)
        {
            lock (_lock) _callbackList.Add((id, callback));
        }

        /// <summary>Runs (and forgets) the call-backs registered for <paramref name="currentId"/>, in registration order.</summary>
        public void Trigger(int currentId, string data)
        {
            List<Action<string>> due;
            lock (_lock)
            {
                due = _callbackList.Where(c => c.Id == currentId).Select(c => c.Callback).ToList();
                _callbackList.RemoveAll(c => c.Id == currentId);
            }
            // Outside the lock: a call-back may register the next one.
            foreach (var callback in due) callback(data);
        }
    }
}
