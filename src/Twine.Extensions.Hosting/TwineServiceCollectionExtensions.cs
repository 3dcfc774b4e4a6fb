using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Twine.Defer;
using Twine.Net;
using Twine.Reactors;
using Twine.Threading;
using Twine.Time;

namespace Twine.Extensions.Hosting;

/// <summary>Registers a Twine reactor, its roles and its services with a host.</summary>
/// <example>
/// <code>
/// var builder = Host.CreateApplicationBuilder(args);
/// builder.Services.AddTwine()
///     .AddTwineListener("tcp:8000", _ =&gt; Factory.ForProtocol&lt;Echo&gt;());
/// await builder.Build().RunAsync();   // Ctrl-C stops the host, which stops the reactor
/// </code>
/// </example>
public static class TwineServiceCollectionExtensions
{
    /// <summary>
    /// Adds a reactor that runs on its own thread while the host runs (a hosted service), without signal handlers of
    /// its own, and makes its roles injectable: <see cref="Reactor"/>, <see cref="IReactorCore"/>,
    /// <see cref="IReactorTime"/>, <see cref="IReactorTcp"/>, <see cref="IReactorUnix"/>, <see cref="IReactorUdp"/>,
    /// <see cref="IReactorStreamSockets"/>, <see cref="IReactorThreads"/>, <see cref="IReactorFromThreads"/> and
    /// <see cref="ICallSoon"/>. All but <see cref="IReactorFromThreads"/> must be used on the reactor thread: from an
    /// <see cref="ITwineService"/>, or through <c>CallFromThread</c>. Calling it again only applies
    /// <paramref name="configure"/> once more.
    /// </summary>
    public static IServiceCollection AddTwine(this IServiceCollection services, Action<TwineHostOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.FirstOrDefault(d => d.ServiceType == typeof(TwineHostOptions))?.ImplementationInstance as TwineHostOptions;
        if (options is null)
        {
            options = new TwineHostOptions();
            services.AddSingleton(options);
            services.AddSingleton(sp => Reactor.Create(sp.GetRequiredService<TwineHostOptions>().ToReactorOptions()));
            services.AddSingleton<IReactorCore>(sp => sp.GetRequiredService<Reactor>());
            services.AddSingleton<IReactorTime>(sp => sp.GetRequiredService<Reactor>());
            services.AddSingleton<IReactorTcp>(sp => sp.GetRequiredService<Reactor>());
            services.AddSingleton<IReactorUnix>(sp => sp.GetRequiredService<Reactor>());
            services.AddSingleton<IReactorUdp>(sp => sp.GetRequiredService<Reactor>());
            services.AddSingleton<IReactorStreamSockets>(sp => sp.GetRequiredService<Reactor>());
            services.AddSingleton<IReactorThreads>(sp => sp.GetRequiredService<Reactor>());
            services.AddSingleton<IReactorFromThreads>(sp => sp.GetRequiredService<Reactor>());
            services.AddSingleton<ICallSoon>(sp => sp.GetRequiredService<Reactor>());
            services.AddSingleton<ReactorHostedService>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ReactorHostedService>(sp => sp.GetRequiredService<ReactorHostedService>()));
        }
        configure?.Invoke(options);
        return services;
    }

    /// <summary>
    /// Adds an <see cref="ITwineService"/> (created by the container, so it can take the reactor's roles and loggers
    /// in its constructor) that starts on the reactor thread with the host and stops with it. Adds the reactor too.
    /// </summary>
    public static IServiceCollection AddTwineService<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TService>(this IServiceCollection services)
        where TService : class, ITwineService
    {
        services.AddTwine();
        services.AddSingleton<TService>();
        services.AddSingleton<ITwineService>(sp => sp.GetRequiredService<TService>());
        return services;
    }

    /// <summary>
    /// Listens on a server endpoint string (<c>tcp:8000</c>, <c>tcp:0:interface=127.0.0.1</c>, <c>unix:/run/app.sock</c>,
    /// <c>ssl:8443:privateKey=key.pem:certKey=cert.pem</c>) while the host runs, with the protocol factory
    /// <paramref name="factory"/> builds (on the reactor thread). The host's start fails if the endpoint is malformed
    /// or cannot listen. Resolve <see cref="TwineListener"/> to learn the bound address.
    /// </summary>
    public static IServiceCollection AddTwineListener(this IServiceCollection services, string endpoint, Func<IServiceProvider, IProtocolFactory> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint);
        ArgumentNullException.ThrowIfNull(factory);
        services.AddTwine();
        var listener = new TwineListener(endpoint);
        services.AddSingleton(listener);
        services.AddSingleton<ITwineService>(sp => new ListenerService(listener, () => factory(sp)));
        return services;
    }
}
