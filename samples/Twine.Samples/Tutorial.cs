namespace Twine.Samples;

/// <summary>One of the tutorials in shared/seeds that the samples are ported from.</summary>
/// <param name="File">The tutorial's file in shared/seeds.</param>
/// <param name="Title">The tutorial's title.</param>
public sealed record Tutorial(string File, string Title)
{
    /// <summary>"Why do we need promises in python?": threads, flags, event loops, call-backs, then Deferreds.</summary>
    public static Tutorial WhyPromises { get; } = new("why-promises-python.md", "Why do we need promises in python?");

    /// <summary>"Intro to Python Asynchronous Programming and Twisted's Deferreds": the Mad Hatter, Fate and Fuse.</summary>
    public static Tutorial IntroDeferreds { get; } =
        new("intro-async-twisted-deferreds.md", "Intro to Python Asynchronous Programming and Twisted's Deferreds");

    /// <summary>Autobahn's "Asynchronous Programming": Deferreds and inlineCallbacks, Futures and coroutines.</summary>
    public static Tutorial Autobahn { get; } = new("asynchronous-programming-autobahn.rst", "Asynchronous Programming (Autobahn)");
}
