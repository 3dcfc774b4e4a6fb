namespace Twine.Samples.WhyPromises;

/// <summary>
/// "Why do we need promises in python?", "Asynchronous programming → Concurrency using multi-threading": a boss thread
/// spawns a worker per call (<c>get_data(id)</c>); a worker fetches its data and sets its flag in shared memory; the
/// boss polls the flags and runs <c>handle_data_N</c> for each flag it finds set, between bits of its own processing.
/// Handlers run in the order the data arrives, not the order the calls were made.
/// </summary>
/// <remarks>
/// Two changes from the tutorial's code. Its <c>while True</c> loop never ends; this one ends once all three handlers
/// have run. And its flags are plain list items: in Python the GIL makes that work; in C# a flag shared between threads
/// needs <see cref="Volatile"/> reads and writes, or the boss may never see the worker's write.
/// </remarks>
public sealed class ThreadsFlagsSample : Sample
{
    public override string Name => "threads-flags";
    public override Tutorial Tutorial => Tutorial.WhyPromises;
    public override string Section => "Asynchronous programming: concurrency using multi-threading";
    public override bool UsesRandomness => true;
    public override string Summary => "a boss thread polls flags that worker threads set; handlers run in completion order";

    // The tutorial's flags: None (no data yet), True (data in, not handled), False (handled).
    private const int NoData = 0;
    private const int DataIn = 1;
    private const int Handled = 2;
    private const int Calls = 3;

    public override int Run(SampleContext context)
    {
        var random = context.NewRandom();
        var latencies = new double[Calls];
        for (int i = 0; i < Calls; i++) latencies[i] = SimulatedWeb.PickLatency(random);
        var flags = new int[Calls];
        var data = new string[Calls];
        var handledOrder = new List<int>();

        context.WriteLine("(No network here: each worker thread sleeps for its latency instead of calling the web API.)");

        void GetData(int id)
        {
            context.WriteLine($"boss: get_data({id}) on a worker thread");
            var worker = new Thread(() =>
            {
                data[id] = SimulatedWeb.FetchPostTitle(id + 1, context.Seconds(latencies[id]));
                context.WriteLine($"worker: data received -- {id} (after {latencies[id]:0.0} s), setting flags[{id}]");
                // Publishes data[id] too: the volatile write orders it before the flag.
                Volatile.Write(ref flags[id], DataIn);
            });
            worker.Start();
        }

        // The handlers for the data retrieved by the workers.
        Action[] handlers =
        [
            () => context.WriteLine($"boss: handle_data_1 handles data 0: \"{data[0]}\""),
            () => context.WriteLine($"boss: handle_data_2 handles data 1: \"{data[1]}\""),
            () => context.WriteLine($"boss: handle_data_3 handles data 2: \"{data[2]}\""),
        ];

        // boss_thread(): one call per turn until all are made, then only the polling.
        int next = 0;
        while (handledOrder.Count < Calls)
        {
            if (next < Calls) GetData(next++);

            for (int id = 0; id < Calls; id++)
            {
                if (Volatile.Read(ref flags[id]) != DataIn) continue;
                handlers[id]();
                flags[id] = Handled;
                handledOrder.Add(id);
            }

            // "Do some processing here in the parent thread." The pause keeps this poll from spinning a core at 100%,
            // which is the price of polling: the boss notices a flag up to one pause late.
            context.WriteLine("boss: processing");
            Thread.Sleep(context.Seconds(0.25));
        }

        context.WriteLine($"boss: handled the data in the order {string.Join(", ", handledOrder)} (called in the order 0, 1, 2)");
        return 0;
    }
}
