using System.Runtime.InteropServices;

namespace Twine.Reactors;

/// <summary>
/// Where a reactor's SIGINT and SIGTERM come from (RE9). By default the operating system; a test gives
/// <see cref="ReactorOptions.SignalSource"/> a source it can raise signals on (<c>Twine.Testing.ManualSignalSource</c>),
/// so "a signal stops the reactor" and React's 128 + signal exit code are tested without signalling the test process.
/// </summary>
/// <example>
/// <code>
/// var signals = new ManualSignalSource();
/// using var reactor = Reactor.Create(new ReactorOptions { SignalSource = signals });
/// reactor.CallWhenRunning(() => signals.Raise(PosixSignal.SIGTERM));
/// reactor.Run();                                   // returns: the signal stopped it
/// Console.WriteLine(reactor.ExitSignal);           // 15
/// </code>
/// </example>
public interface ISignalSource
{
    /// <summary>
    /// Calls <paramref name="handler"/> each time <paramref name="signal"/> arrives, in place of the signal's default
    /// action, until the returned registration is disposed. The handler may be called on any thread.
    /// </summary>
    IDisposable Register(PosixSignal signal, Action<PosixSignal> handler);
}

/// <summary>The operating system's signals, through .NET's <see cref="PosixSignalRegistration"/>.</summary>
internal sealed class OsSignalSource : ISignalSource
{
    public static readonly OsSignalSource Instance = new();

    public IDisposable Register(PosixSignal signal, Action<PosixSignal> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return PosixSignalRegistration.Create(signal, context =>
        {
            // Cancel the default termination: the reactor stops cleanly instead.
            context.Cancel = true;
            handler(context.Signal);
        });
    }
}
