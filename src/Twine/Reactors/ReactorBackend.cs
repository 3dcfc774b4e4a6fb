namespace Twine.Reactors;

/// <summary>Which I/O multiplexer a <see cref="Reactor"/> uses (<see cref="ReactorOptions.Backend"/>).</summary>
/// <example>
/// <code>
/// using var reactor = Reactor.Create(new ReactorOptions { Backend = ReactorBackend.Poll });
/// </code>
/// </example>
public enum ReactorBackend
{
    /// <summary>The <c>TWINE_REACTOR</c> environment variable (<c>epoll</c>, <c>poll</c> or <c>wait</c>) if set, else epoll on Linux, <see cref="Wait"/> on Windows and poll(2) elsewhere.</summary>
    Auto,

    /// <summary>Linux epoll, woken by an eventfd.</summary>
    Epoll,

    /// <summary>poll(2), woken by a pipe: portable to every Unix.</summary>
    Poll,

    /// <summary>
    /// No descriptor polling at all: the loop sleeps on an event until a timer is due or another thread wakes it. For
    /// the portable socket layer, whose completions need no readiness; the default on Windows, which has neither epoll
    /// nor poll(2).
    /// </summary>
    Wait,
}
