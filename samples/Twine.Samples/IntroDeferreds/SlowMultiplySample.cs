namespace Twine.Samples.IntroDeferreds;

using Twine.Defer;
using Twine.Reactors;
using Twine.Time;

/// <summary>
/// "Intro to Python Asynchronous Programming and Twisted's Deferreds", "Twisted": the first program on the real
/// reactor. <c>SlowMultiply</c> returns a Deferred at once and fires it 3 seconds later with <c>CallLater</c>; a
/// callback prints the result; the reactor is stopped after 4 seconds, long enough for the code to finish (Fate's
/// <c>Shutdown</c>, on a timer). The reactor is approximately Fate, and a Deferred approximately a Fuse: instead of a
/// handler, a Deferred has callbacks.
/// </summary>
public sealed class SlowMultiplySample : Sample
{
    public override string Name => "slow-multiply";
    public override Tutorial Tutorial => Tutorial.IntroDeferreds;
    public override string Section => "Twisted";
    public override string Summary => "SlowMultiply(5, 7) returns a Deferred that CallLater fires 3 s later; stop at 4 s";

    public override int Run(SampleContext context)
    {
        using var reactor = Reactor.Create(context.ReactorOptions);

        // Multiplies two numbers very slowly (for a computer): 3 seconds. Returns a Deferred at once, which fires with
        // the result once it is known.
        Deferred<int> SlowMultiply(IReactorTime time, int x, int y)
        {
            var d = new Deferred<int>();
            time.CallLater(context.Seconds(3), () => d.Callback(x * y));
            return d;
        }

        // Called by Twine when the Deferred from SlowMultiply fires.
        void PrintMultiplicationResult(int firedValue) => context.WriteLine($"... result is {firedValue}!");

        context.WriteLine("Determining result of 5 * 7...");
        var d = SlowMultiply(reactor, 5, 7);
        d.AddCallback(PrintMultiplicationResult);
        // Stop the reactor after 4 seconds, long enough for our code to finish: like Fate's Shutdown.
        reactor.CallLater(context.Seconds(4), reactor.Stop);
        reactor.Run();
        // Ctrl-C stops the reactor early (and cleanly); say so in the exit code, as Reactor.React does.
        return reactor.ExitSignal is { } signal ? 128 + signal : 0;
    }
}
