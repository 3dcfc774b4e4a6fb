namespace Twine.Samples.WhyPromises;

using System.Collections.Concurrent;

/// <summary>
/// "Why do we need promises in python?", "The power of call-backs → Synchronisation without call-backs" (the tutorial's
/// threads_no_callbacks_with_order.py): to handle the data strictly in the order 0, 1, 2, the boss starts the next
/// fetch only after it has handled the previous one, and the handler for an id runs only when that id is the next one
/// due. Extra conditions in the polling loop buy the order: the mess that call-backs, and then Deferreds, clean up.
/// </summary>
/// <remarks>
/// The tutorial shares a plain dict between threads, which the GIL makes safe; in C# it is a
/// <see cref="ConcurrentDictionary{TKey, TValue}"/>. Its boss spins without pausing; this one pauses briefly between
/// polls so it does not burn a core.
/// </remarks>
public sealed class ThreadsOrderedSample : Sample
{
    public override string Name => "threads-ordered";
    public override Tutorial Tutorial => Tutorial.WhyPromises;
    public override string Section => "Synchronisation without call-backs";
    public override bool UsesRandomness => true;
    public override string Summary => "the next fetch starts only after the previous one was handled: handlers run 0, 1, 2";

    private const int Size = 3;

    public override int Run(SampleContext context)
    {
        var random = context.NewRandom();
        // The data dictionary doubles as the flags: an id is in it once its data has arrived.
        var data = new ConcurrentDictionary<int, string>();
        int startedCount = 0, doneCount = 0;

        context.WriteLine("(No network here: each worker thread sleeps for its latency instead of calling the web API.)");

        void GetData(int postId)
        {
            double latency = SimulatedWeb.PickLatency(random);
            context.WriteLine($"boss: get_data({postId}) on a worker thread");
            new Thread(() =>
            {
                string title = SimulatedWeb.FetchPostTitle(postId + 1, context.Seconds(latency));
                context.WriteLine($"worker: data received -- {postId} (after {latency:0.0} s)");
                // Setting the flag and storing the data are one step.
                data[postId] = title;
            }).Start();
        }

        void HandleData(int id) => context.WriteLine($"boss: {id} has received: {data[id]}");

        while (doneCount < Size)
        {
            // Start a fetch only when every fetch started so far has been handled.
            if (startedCount == doneCount)
            {
                GetData(startedCount);
                startedCount++;
            }

            // The handlers for the data retrieved in the worker threads: only the next id due may run.
            for (int id = 0; id < Size; id++)
            {
                if (data.ContainsKey(id) && id == doneCount)
                {
                    HandleData(id);
                    doneCount++;
                }
            }

            Thread.Sleep(context.Seconds(0.05));
        }

        context.WriteLine("boss: handled 0, 1, 2 in order, one fetch at a time");
        return 0;
    }
}
