using System.Runtime.InteropServices;
using Twine.Logging;

namespace Twine.Reactors;

// SIGINT and SIGTERM stop the reactor cleanly (RE9).
public sealed partial class Reactor
{
    private IDisposable[]? _signalRegistrations;
    private int _exitSignal;

    /// <summary>
    /// The signal that stopped the reactor (2 for SIGINT, 15 for SIGTERM), or null (RE9).
    /// <see cref="React(Func{Reactor, string[], Defer.Deferred}, string[], ReactorOptions?)"/> turns it into exit
    /// code 128 + signal when the main function had not finished.
    /// </summary>
    public int? ExitSignal => Volatile.Read(ref _exitSignal) is var s and not 0 ? s : null;

    /// <summary>True while SIGINT/SIGTERM handlers are installed (tests).</summary>
    internal bool SignalHandlersInstalled => _signalRegistrations is not null;

    /// <summary>Installs the handlers: called from the "during startup" phase (RE4), removed during shutdown.</summary>
    private void InstallSignalHandlers()
    {
        var source = _options.SignalSource ?? OsSignalSource.Instance;
        if (_signalRegistrations is not null || (source is OsSignalSource && OperatingSystem.IsWindows())) return;
        _signalRegistrations =
        [
            source.Register(PosixSignal.SIGINT, OnSignal),
            source.Register(PosixSignal.SIGTERM, OnSignal),
        ];
        AddSystemEventTrigger(SystemEventPhase.During, Shutdown, UninstallSignalHandlers);
    }

    private void UninstallSignalHandlers()
    {
        if (_signalRegistrations is not { } registrations) return;
        _signalRegistrations = null;
        foreach (var registration in registrations) registration.Dispose();
    }

    /// <summary>Runs on the signal source's thread (.NET's signal-handling thread for real signals): stop through the thread queue.</summary>
    private void OnSignal(PosixSignal signal)
    {
        if (_disposed) return;
        int number = signal == PosixSignal.SIGINT ? 2 : 15;
        Log.Info(LogEventId.SignalReceived, typeof(Reactor), $"Received {(number == 2 ? "SIGINT" : "SIGTERM")}, shutting down.");
        Volatile.Write(ref _exitSignal, number);
        CallFromThread(StopIfRunning);
    }
}
