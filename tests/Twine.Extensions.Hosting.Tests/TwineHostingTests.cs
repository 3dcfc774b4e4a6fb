using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Twine.Defer;
using Twine.Net;
using Twine.Protocols;
using Twine.Reactors;
using Twine.Threading;
using Twine.Time;

namespace Twine.Extensions.Hosting.Tests;

/// <summary>
/// AddTwine under a real generic host: the reactor runs on its own thread while the host runs, Twine services start on
/// it and stop in "before shutdown", the host's shutdown token bounds the stop, and signals stay with the host.
/// Every wait has a generous guard: it only stops a hang, it never decides a result.
/// </summary>
public sealed class TwineHostingTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    internal static IHost Build(Action<IServiceCollection> configure, CapturingLoggerProvider? logs = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging();
        if (logs is not null) builder.Logging.AddProvider(logs);
        configure(builder.Services);
        return builder.Build();
    }

    /// <summary>Records each call with the thread it ran on; can fail to start or never finish stopping.</summary>
    private sealed class RecordingService(string name, List<string> log) : ITwineService
    {
        public Exception? StartError { get; init; }
        public bool NeverStops { get; init; }
        public Action<Reactor>? OnStart { get; init; }

        public Deferred StartAsync(Reactor reactor)
        {
            log.Add($"start {name} {Where(reactor)}");
            OnStart?.Invoke(reactor);
            return StartError is null ? Deferred.Succeed() : Deferred.Fail(StartError);
        }

        public Deferred StopAsync(Reactor reactor)
        {
            log.Add($"stop {name} {Where(reactor)}");
            return NeverStops ? new Deferred<Unit>() : Deferred.Succeed();
        }

        private static string Where(Reactor reactor) =>
            reactor.IsInReactorThread && Thread.CurrentThread.Name == "Twine reactor" ? "on the reactor thread" : "ELSEWHERE";
    }

    [Fact]
    public void EveryRoleIsTheOneReactor()
    {
        using var host = Build(s => s.AddTwine());
        var reactor = host.Services.GetRequiredService<Reactor>();
        Assert.Same(reactor, host.Services.GetRequiredService<IReactorCore>());
        Assert.Same(reactor, host.Services.GetRequiredService<IReactorTime>());
        Assert.Same(reactor, host.Services.GetRequiredService<IReactorTcp>());
        Assert.Same(reactor, host.Services.GetRequiredService<IReactorUnix>());
        Assert.Same(reactor, host.Services.GetRequiredService<IReactorUdp>());
        Assert.Same(reactor, host.Services.GetRequiredService<IReactorStreamSockets>());
        Assert.Same(reactor, host.Services.GetRequiredService<IReactorThreads>());
        Assert.Same(reactor, host.Services.GetRequiredService<IReactorFromThreads>());
        Assert.Same(reactor, host.Services.GetRequiredService<ICallSoon>());
        Assert.Single(host.Services.GetServices<IHostedService>().OfType<ReactorHostedService>());
    }

    [Fact]
    public void AddTwineTwiceRegistersOneReactorAndAppliesBothConfigurations()
    {
        using var host = Build(s => s.AddTwine(o => o.ThreadPoolSize = 3).AddTwine(o => o.ThreadName = "second"));
        var options = host.Services.GetRequiredService<TwineHostOptions>();
        Assert.Equal(3, options.ThreadPoolSize);
        Assert.Equal("second", options.ThreadName);
        Assert.Single(host.Services.GetServices<IHostedService>());
    }

    [Fact]
    public void SignalsAreLeftToTheHost()
    {
        // The host's lifetime owns SIGINT/SIGTERM; a reactor handler would race it and stop Twine behind its back.
        var options = new TwineHostOptions { Backend = ReactorBackend.Poll, ThreadPoolSize = 2 }.ToReactorOptions();
        Assert.False(options.InstallSignalHandlers);
        Assert.Equal(ReactorBackend.Poll, options.Backend);
        Assert.Equal(2, options.ThreadPoolSize);
    }

    [Fact]
    public async Task ServicesStartInOrderOnTheReactorThreadAndStopInReverseBeforeShutdown()
    {
        var log = new List<string>();
        using var host = Build(s => s
            .AddTwine()
            .AddSingleton<ITwineService>(new RecordingService("a", log)
            {
                OnStart = reactor => reactor.AddSystemEventTrigger(SystemEventPhase.During, Reactor.Shutdown, () => log.Add("during-shutdown trigger")),
            })
            .AddSingleton<ITwineService>(new RecordingService("b", log)));
        var hosted = host.Services.GetRequiredService<ReactorHostedService>();

        await host.StartAsync().WaitAsync(Guard);
        Assert.Equal(["start a on the reactor thread", "start b on the reactor thread"], log);
        Assert.False(hosted.Finished.IsCompleted);

        await host.StopAsync().WaitAsync(Guard);
        Assert.True(hosted.Finished.IsCompletedSuccessfully);
        Assert.Equal(
            ["start a on the reactor thread", "start b on the reactor thread", "stop b on the reactor thread", "stop a on the reactor thread", "during-shutdown trigger"],
            log);
    }

    [Fact]
    public async Task AListenerServesOnAnEphemeralPortUntilTheHostStops()
    {
        using var host = Build(s => s.AddTwineListener("tcp:0:interface=127.0.0.1", _ => new Factory(() => new Echo()) { Noisy = false }));
        var listener = host.Services.GetRequiredService<TwineListener>();
        Assert.Null(listener.Address);

        await host.StartAsync().WaitAsync(Guard);
        var address = Assert.IsType<IPEndPoint>(listener.Address);
        Assert.NotEqual(0, address.Port);
        using var client = new TcpClient();
        await client.ConnectAsync(address).WaitAsync(Guard);
        var stream = client.GetStream();
        await stream.WriteAsync("ping"u8.ToArray()).AsTask().WaitAsync(Guard);
        var buffer = new byte[4];
        await stream.ReadExactlyAsync(buffer).AsTask().WaitAsync(Guard);
        Assert.Equal("ping"u8.ToArray(), buffer);

        await host.StopAsync().WaitAsync(Guard);
        // The reactor's shutdown disconnected the connection and the listener stopped listening.
        Assert.Equal(0, await stream.ReadAsync(buffer).AsTask().WaitAsync(Guard));
        Assert.Null(listener.Address);
        using var late = new TcpClient();
        var refused = await Assert.ThrowsAsync<SocketException>(() => late.ConnectAsync(address).WaitAsync(Guard));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task ABadEndpointFailsTheHostsStart()
    {
        using var host = Build(s => s.AddTwineListener("tcp:port=notanumber", _ => new Factory()));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => host.StartAsync().WaitAsync(Guard));
        await host.Services.GetRequiredService<ReactorHostedService>().Finished.WaitAsync(Guard);
    }

    [Fact]
    public async Task APortInUseFailsTheHostsStart()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        using var host = Build(s => s.AddTwineListener($"tcp:{port}:interface=127.0.0.1", _ => new Factory()));
        await Assert.ThrowsAsync<CannotListenException>(() => host.StartAsync().WaitAsync(Guard));
        await host.Services.GetRequiredService<ReactorHostedService>().Finished.WaitAsync(Guard);
    }

    [Fact]
    public async Task AServiceThatFailsToStartFailsTheHostStartAndStopsWhatStarted()
    {
        var log = new List<string>();
        using var host = Build(s => s
            .AddTwine()
            .AddSingleton<ITwineService>(new RecordingService("a", log))
            .AddSingleton<ITwineService>(new RecordingService("b", log) { StartError = new InvalidOperationException("b cannot start") })
            .AddSingleton<ITwineService>(new RecordingService("c", log)));
        var hosted = host.Services.GetRequiredService<ReactorHostedService>();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync().WaitAsync(Guard));
        Assert.Equal("b cannot start", error.Message);
        await hosted.Finished.WaitAsync(Guard);
        Assert.Equal(["start a on the reactor thread", "start b on the reactor thread", "stop a on the reactor thread"], log);
    }

    [Fact]
    public async Task TheHostsShutdownTokenBoundsTheStop()
    {
        var log = new List<string>();
        using var host = Build(s => s.AddTwine().AddSingleton<ITwineService>(new RecordingService("stuck", log) { NeverStops = true }));
        var hosted = host.Services.GetRequiredService<ReactorHostedService>();
        await host.StartAsync().WaitAsync(Guard);

        // The host's shutdown timeout has run out: the before-shutdown Deferred that never fires is abandoned and the
        // reactor crashed, so Run returns and the host can finish.
        using var expired = new CancellationTokenSource();
        await expired.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hosted.StopAsync(expired.Token));
        await hosted.Finished.WaitAsync(Guard);
        Assert.Contains("stop stuck on the reactor thread", log);
    }

    [Fact]
    public async Task AReactorThatStopsItselfStopsTheHost()
    {
        var log = new List<string>();
        using var host = Build(s => s.AddTwine().AddSingleton<ITwineService>(new RecordingService("quitter", log)));
        await host.StartAsync().WaitAsync(Guard);
        var reactor = host.Services.GetRequiredService<Reactor>();
        reactor.CallFromThread(reactor.Stop);   // the application's own code on the reactor thread decides to stop
        await host.WaitForShutdownAsync().WaitAsync(Guard);
        Assert.True(host.Services.GetRequiredService<ReactorHostedService>().Finished.IsCompletedSuccessfully);
        Assert.Equal(["start quitter on the reactor thread", "stop quitter on the reactor thread"], log);
    }

    [Fact]
    public async Task TwineLogGoesToTheHostsLoggersWhileTheHostRuns()
    {
        var logs = new CapturingLoggerProvider();
        var before = Twine.Logging.Log.Sink;
        using var host = Build(s => s.AddTwineListener("tcp:0:interface=127.0.0.1", _ => Factory.ForProtocol<Echo>()), logs);
        await host.StartAsync().WaitAsync(Guard);
        Assert.IsType<Twine.Extensions.Logging.MicrosoftLogSink>(Twine.Logging.Log.Sink);
        await host.StopAsync().WaitAsync(Guard);
        Assert.Same(before, Twine.Logging.Log.Sink);

        // The factory (Noisy) and the port logged as Twine types, each under its own category with a stable id.
        var entries = logs.Entries.ToArray();
        Assert.Contains(entries, e => e.Category == "Twine.Net.Factory" && e.EventId.Name == "FactoryStarting");
        Assert.Contains(entries, e => e.Category == "Twine.Net.Sockets.StreamPort" && e.EventId.Name == "PortListening");
        Assert.Contains(entries, e => e.Category == typeof(ReactorHostedService).FullName && e.EventId.Id == 1);
    }
}
