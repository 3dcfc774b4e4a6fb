using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Twine.Defer;
using Twine.Extensions.Logging;
using Log = Twine.Logging.Log;
using ILogSink = Twine.Logging.ILogSink;
using Twine.Reactors;

namespace Twine.Extensions.Hosting;

/// <summary>
/// Runs the reactor on its own thread for the lifetime of the host. Start: the thread runs <see cref="Reactor.Run"/>
/// and, on the reactor thread, the <see cref="ITwineService"/>s start in order; the host's start waits for them.
/// Stop: <see cref="Reactor.Stop"/>, so the shutdown triggers run (services stop in "before shutdown", in reverse
/// order), and the host's stop waits for <see cref="Reactor.Run"/> to return, no longer than the host's shutdown
/// token allows.
/// </summary>
internal sealed partial class ReactorHostedService : IHostedService
{
    private readonly Reactor _reactor;
    private readonly TwineHostOptions _options;
    private readonly IReadOnlyList<ITwineService> _services;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly IHostApplicationLifetime? _lifetime;
    private readonly ILogger _logger;
    // Touched only on the reactor thread.
    private readonly List<ITwineService> _startedServices = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _thread;
    private volatile bool _stopRequested;
    private ILogSink? _previousSink;
    private MicrosoftLogSink? _sink;

    public ReactorHostedService(Reactor reactor, TwineHostOptions options, IEnumerable<ITwineService> services,
        ILoggerFactory? loggerFactory = null, IHostApplicationLifetime? lifetime = null)
    {
        _reactor = reactor;
        _options = options;
        _services = services.ToArray();
        _loggerFactory = loggerFactory;
        _lifetime = lifetime;
        _logger = (ILogger?)loggerFactory?.CreateLogger<ReactorHostedService>() ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    /// <summary>Completes when <see cref="Reactor.Run"/> has returned (tests).</summary>
    internal Task Finished => _finished.Task;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_thread is not null) throw new InvalidOperationException("The Twine hosted service was started twice.");
        if (_options.RouteLogging && _loggerFactory is not null)
        {
            _previousSink = Log.Sink;
            _sink = new MicrosoftLogSink(_loggerFactory);
            Log.Sink = _sink;
        }
        // Queued through the thread queue, not CallWhenRunning: only CallFromThread may be used from a thread other
        // than the reactor's, and the first iteration after the "startup" event runs it.
        _reactor.CallFromThread(StartServices);
        _thread = new Thread(RunReactor) { IsBackground = true, Name = _options.ThreadName };
        _thread.Start();
        try
        {
            await _started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // A service failed to start, or the host gave up: take down what did start before reporting it.
            await StopReactorAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => StopReactorAsync(cancellationToken);

    private async Task StopReactorAsync(CancellationToken cancellationToken)
    {
        if (_thread is null) return;
        _stopRequested = true;
        // Through the thread queue even on the reactor thread (a failed start can resume there, after Run returned):
        // on the reactor, Stop() throws for a reactor already stopping, which here is simply done.
        if (!_finished.Task.IsCompleted) _reactor.CallFromThread(StopIfRunning);
        try
        {
            await _finished.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown timeout ran out while shutdown triggers were still waiting: end the loop without
            // them. The thread is a background thread, so a reactor stuck in user code cannot keep the process alive.
            LogShutdownTimedOut(_logger);
            _reactor.CallFromThread(_reactor.Crash);
            throw;
        }
        catch (Exception)
        {
            // Run threw: already logged on the reactor thread; the host's stop itself succeeded.
        }
        finally
        {
            RestoreLogSink();
        }
    }

    private void StopIfRunning()
    {
        try
        {
            _reactor.Stop();
        }
        catch (ReactorNotRunningException)
        {
            // Already stopping: the shutdown in progress is the one the host asked for.
        }
    }

    private void RestoreLogSink()
    {
        if (_sink is null) return;
        // Only put the old sink back if nobody replaced ours meanwhile.
        if (ReferenceEquals(Log.Sink, _sink)) Log.Sink = _previousSink;
        _sink = null;
    }

    private void RunReactor()
    {
        try
        {
            _reactor.Run();
            LogReactorStopped(_logger);
            _finished.TrySetResult();
        }
        catch (Exception e)
        {
            LogReactorFailed(_logger, e);
            _started.TrySetException(e);
            _finished.TrySetException(e);
        }
        finally
        {
            _started.TrySetException(new InvalidOperationException("The reactor stopped before its Twine services had started."));
            // The application stopped the reactor itself (reactor.Stop() in a service): the host has nothing left to run.
            if (!_stopRequested) _lifetime?.StopApplication();
        }
    }

    /// <summary>On the reactor thread, once it runs.</summary>
    private void StartServices()
    {
        _reactor.AddSystemEventTrigger(SystemEventPhase.Before, Reactor.Shutdown, StopServices);
        _ = StartInOrder();
    }

    private async Deferred StartInOrder()
    {
        try
        {
            foreach (var service in _services)
            {
                if (_stopRequested) break;
                await service.StartAsync(_reactor);
                _startedServices.Add(service);
            }
            LogReactorStarted(_logger, _reactor.BackendName, _startedServices.Count);
            _started.TrySetResult();
        }
        catch (Exception e)
        {
            LogServiceStartFailed(_logger, e);
            _started.TrySetException(e);
        }
    }

    private Deferred StopServices() => StopInReverse();

    private async Deferred StopInReverse()
    {
        for (int i = _startedServices.Count - 1; i >= 0; i--)
        {
            var service = _startedServices[i];
            try
            {
                await service.StopAsync(_reactor);
            }
            catch (Exception e)
            {
                // One service failing to stop must not keep the others running.
                LogServiceStopFailed(_logger, service.GetType().Name, e);
            }
        }
        _startedServices.Clear();
    }

    [LoggerMessage(EventId = 1, EventName = "ReactorStarted", Level = LogLevel.Information, Message = "Twine reactor running on {Backend} with {Services} service(s) started")]
    private static partial void LogReactorStarted(ILogger logger, string backend, int services);

    [LoggerMessage(EventId = 2, EventName = "ReactorStopped", Level = LogLevel.Information, Message = "Twine reactor stopped")]
    private static partial void LogReactorStopped(ILogger logger);

    [LoggerMessage(EventId = 3, EventName = "ReactorFailed", Level = LogLevel.Critical, Message = "Twine reactor failed")]
    private static partial void LogReactorFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4, EventName = "ServiceStartFailed", Level = LogLevel.Error, Message = "A Twine service failed to start; stopping the reactor")]
    private static partial void LogServiceStartFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5, EventName = "ServiceStopFailed", Level = LogLevel.Error, Message = "Twine service {Service} failed to stop")]
    private static partial void LogServiceStopFailed(ILogger logger, string service, Exception exception);

    [LoggerMessage(EventId = 6, EventName = "ShutdownTimedOut", Level = LogLevel.Warning, Message = "The host's shutdown timeout ran out before the reactor's shutdown triggers finished; crashing the reactor")]
    private static partial void LogShutdownTimedOut(ILogger logger);
}
