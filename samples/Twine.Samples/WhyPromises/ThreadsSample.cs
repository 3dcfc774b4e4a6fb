namespace Twine.Samples.WhyPromises;

/// <summary>
/// "Why do we need promises in python?", "Synchronous programming → Concurrency using multi-threading" (the tutorial's
/// thread_no_callbacks.py): three blocking calls — <c>getNames</c>, <c>getQuestions</c>, <c>getAnswers</c> for the users
/// whose names start with <em>k</em> — each on a thread of its own. Each function blocks on its fetch and then handles
/// its own data, so the three handle their data in whatever order the network answers.
/// </summary>
public sealed class ThreadsSample : Sample
{
    public override string Name => "threads";
    public override Tutorial Tutorial => Tutorial.WhyPromises;
    public override string Section => "Concurrency using multi-threading";
    public override string Summary => "three blocking fetches, each on its own thread, each handling its own data";
    public override bool UsesRandomness => true;

    public override int Run(SampleContext context)
    {
        // Random is not thread-safe: the boss picks every latency before any thread starts.
        var random = context.NewRandom();
        double namesLatency = SimulatedWeb.PickLatency(random);
        double questionsLatency = SimulatedWeb.PickLatency(random);
        double answersLatency = SimulatedWeb.PickLatency(random);

        context.WriteLine("Three blocking calls for the users whose names start with 'k', each on its own thread.");
        context.WriteLine("(No network here: each fetch is simulated by its thread sleeping for the latency.)");

        Thread[] threads =
        [
            new(() => GetNames(context, namesLatency)) { Name = "getNames" },
            new(() => GetQuestions(context, questionsLatency)) { Name = "getQuestions" },
            new(() => GetAnswers(context, answersLatency)) { Name = "getAnswers" },
        ];
        foreach (var thread in threads) thread.Start();
        context.WriteLine("main: started getNames, getQuestions and getAnswers; waiting for the three threads");

        // The calls block, but only their own threads: the three waits overlap, so this takes as long as the slowest
        // fetch, not the sum of the three.
        foreach (var thread in threads) thread.Join();
        context.WriteLine("main: all three fetches handled");
        return 0;
    }

    // Each function blocks on its fetch, then handles the data itself, on its own thread.
    private static void GetNames(SampleContext context, double latency)
    {
        var names = SimulatedWeb.Fetch(SimulatedWeb.Names, context.Seconds(latency));
        context.WriteLine($"getNames handled {names.Count} names after {latency:0.0} s: {string.Join(", ", names)}");
    }

    private static void GetQuestions(SampleContext context, double latency)
    {
        var questions = SimulatedWeb.Fetch(SimulatedWeb.Questions, context.Seconds(latency));
        context.WriteLine($"getQuestions handled {questions.Count} questions after {latency:0.0} s: {questions[0]} ...");
    }

    private static void GetAnswers(SampleContext context, double latency)
    {
        var answers = SimulatedWeb.Fetch(SimulatedWeb.Answers, context.Seconds(latency));
        context.WriteLine($"getAnswers handled {answers.Count} answers after {latency:0.0} s: {answers[0]} ...");
    }
}
