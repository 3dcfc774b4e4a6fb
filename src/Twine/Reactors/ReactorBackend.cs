namespace Twine.Reactors;

/// <summary>Which I/O multiplexer a <see cref="Reactor"/> uses (<see cref="ReactorOptions.Backend"/>).</summary>
/// <example>
/// <code>
/// using var reactor = Reactor.Create(new ReactorOptions { Backend = ReactorBackend.Poll });
/// </code>
/// </example>
public enum ReactorBackend
{
    /// <summary>The <c>TWINE_REACTOR</c> environment variable (<c>epoll</c> or <c>poll</c>) if set, else epoll on Linux and poll(2) elsewhere.</summary>
    Auto,

    /// <summary>Linux epoll, woken by an eventfd.</summary>
    Epoll,

    /// <summary>poll(2), woken by a pipe: portable to every Unix.</summary>
    Poll,
}
