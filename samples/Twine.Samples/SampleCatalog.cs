namespace Twine.Samples;

using Twine.Samples.Autobahn;
using Twine.Samples.IntroDeferreds;
using Twine.Samples.WhyPromises;

/// <summary>Every sample, in the order the tutorials tell them: the tour that <c>twine demo --all</c> runs.</summary>
public static class SampleCatalog
{
    /// <summary>The samples in tour order: "why promises", then the Mad Hatter's tutorial, then Autobahn's.</summary>
    public static IReadOnlyList<Sample> All { get; } =
    [
        // "Why do we need promises in python?"
        new ThreadsSample(),
        new ThreadsFlagsSample(),
        new EventLoopSample(),
        new ThreadsOrderedSample(),
        new ObserverCallbacksSample(),
        new PyramidSample(),
        new DeferChainSample(),
        new ReturnsDeferSample(),
        new ErrbacksSample(),
        new ThreadsDeferSample(),
        // "Intro to Python Asynchronous Programming and Twisted's Deferreds"
        new FateSample(),
        new FuseChainSample(),
        new SlowMultiplySample(),
        new FireCrackerSample(),
        new GetPageSample(),
        // Autobahn's "Asynchronous Programming"
        new SlowSquareSample(),
    ];

    /// <summary>The sample called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static Sample? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
