namespace Twine.Samples;

/// <summary>
/// One of the tutorials that the samples are ported from. docs/design.md ("Sources") lists them with their authors.
/// </summary>
/// <param name="File">Where to read the tutorial: its public address.</param>
/// <param name="Title">The tutorial's title.</param>
public sealed record Tutorial(string File, string Title)
{
    /// <summary>
    /// "Why do we need promises in python?", by GitHub user kiran3807: threads, flags, event loops, call-backs, then
    /// Deferreds.
    /// </summary>
    public static Tutorial WhyPromises { get; } =
        new("https://github.com/kiran3807/python-promise-tutorial", "Why do we need promises in python?");

    /// <summary>
    /// "Intro to Python Asynchronous Programming and Twisted's Deferreds", by Ben Eills (2012): the Mad Hatter, Fate
    /// and Fuse. The address is the tutorial's development repository; its author's site hosted the main copy.
    /// </summary>
    public static Tutorial IntroDeferreds { get; } =
        new("https://github.com/beneills/deferreds", "Intro to Python Asynchronous Programming and Twisted's Deferreds");

    /// <summary>Autobahn's "Asynchronous Programming": Deferreds and inlineCallbacks, Futures and coroutines.</summary>
    public static Tutorial Autobahn { get; } =
        new("https://autobahn.readthedocs.io/en/latest/asynchronous-programming.html", "Asynchronous Programming (Autobahn)");
}
