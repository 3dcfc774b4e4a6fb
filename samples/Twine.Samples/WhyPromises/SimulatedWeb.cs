namespace Twine.Samples.WhyPromises;

/// <summary>
/// The web APIs the "why promises" tutorial calls: Stack Overflow's users, questions and answers, and the titles of the
/// first posts of a JSON placeholder service. There is no network here, so a fetch is simulated: a <em>blocking</em>
/// fetch sleeps its calling thread for the latency (which is exactly what a blocking <c>urlopen</c> does to it), then
/// returns canned data. Until Twine has its own HTTP server, this stands in for "a small local service with a
/// configurable latency".
/// </summary>
public static class SimulatedWeb
{
    /// <summary>The latencies a simulated request picks from, in seconds: short enough that three in a row take a few seconds.</summary>
    public static IReadOnlyList<double> Latencies { get; } = [0.5, 1.0, 1.5];

    /// <summary>Users whose names start with <c>k</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["kiran", "katie", "kwame"];

    /// <summary>Their highest voted questions.</summary>
    public static IReadOnlyList<string> Questions { get; } =
    [
        "kiran: Why do we need promises in Python?",
        "katie: How do I stop a callback pyramid?",
        "kwame: Is a thread per request really so bad?",
    ];

    /// <summary>Their highest voted answers.</summary>
    public static IReadOnlyList<string> Answers { get; } =
    [
        "kiran: Chain the calls instead of nesting them.",
        "katie: Let the event loop do the waiting.",
        "kwame: Threads are fine until you need ten thousand.",
    ];

    /// <summary>The titles of posts 1, 2 and 3 (the tutorial's code reads <c>posts/N</c> and keeps the title).</summary>
    public static IReadOnlyList<string> PostTitles { get; } =
    [
        "sunt aut facere repellat provident occaecati excepturi optio reprehenderit",
        "qui est esse",
        "ea molestias quasi exercitationem repellat qui ipsa sit aut",
    ];

    /// <summary>Picks a latency, in the tutorial's seconds, the way the tutorial's <c>random.choice</c> does.</summary>
    public static double PickLatency(Random random) => Latencies[random.Next(Latencies.Count)];

    /// <summary>
    /// A blocking fetch: the calling thread waits <paramref name="latency"/>, as it would inside <c>urlopen</c>, then
    /// gets the title of post <paramref name="postId"/> (1-based). Only ever call this on a worker thread.
    /// </summary>
    public static string FetchPostTitle(int postId, TimeSpan latency)
    {
        Thread.Sleep(latency);
        return PostTitles[(postId - 1) % PostTitles.Count];
    }

    /// <summary>A blocking fetch of a list (names, questions or answers) after <paramref name="latency"/>.</summary>
    public static IReadOnlyList<string> Fetch(IReadOnlyList<string> list, TimeSpan latency)
    {
        Thread.Sleep(latency);
        return list;
    }
}
