using Twine.Defer;
using Twine.Reactors;

namespace Twine.Extensions.Hosting;

/// <summary>
/// Something that runs on the hosted reactor, like a service in Twisted's <c>MultiService</c>: started on the reactor
/// thread once the reactor runs, stopped in the "before shutdown" phase when the host stops. Register it with
/// <see cref="TwineServiceCollectionExtensions.AddTwineService{TService}(Microsoft.Extensions.DependencyInjection.IServiceCollection)"/>.
/// </summary>
/// <example>
/// <code>
/// sealed class Ticker(ILogger&lt;Ticker&gt; log) : ITwineService
/// {
///     private LoopingCall? _call;
///     public Deferred StartAsync(Reactor reactor)
///     {
///         _call = new LoopingCall(reactor, () => log.LogInformation("tick"));
///         _ = _call.Start(TimeSpan.FromSeconds(1));
///         return Deferred.Succeed();
///     }
///     public Deferred StopAsync(Reactor reactor) { _call?.Stop(); return Deferred.Succeed(); }
/// }
/// builder.Services.AddTwine().AddTwineService&lt;Ticker&gt;();
/// </code>
/// </example>
public interface ITwineService
{
    /// <summary>
    /// Starts the service; called on the reactor thread, in registration order, each after the previous one's Deferred
    /// fired. The host's start waits for it; a failure fails the host's start.
    /// </summary>
    Deferred StartAsync(Reactor reactor);

    /// <summary>
    /// Stops the service; called on the reactor thread in the "before shutdown" phase, so the reactor waits for the
    /// returned Deferred (within the host's shutdown timeout) before it disconnects what is left.
    /// </summary>
    Deferred StopAsync(Reactor reactor);
}
