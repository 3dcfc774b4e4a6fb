namespace Twine.Samples.IntroDeferreds;

using Twine.Defer;
using Twine.Reactors;
using Twine.Time;

/// <summary>
/// "Intro to Python Asynchronous Programming and Twisted's Deferreds", "Twisted" (the Mad Hatter rewritten for
/// Twisted): the Fate story on the real reactor. The Hatter lights the fuse at 0 s (a Deferred with <c>Explode</c> as
/// its callback, fired by <c>CallLater</c> after the burning time: 0.5, 1, 1.5 or 2 s), hands the FireCracker to Ben at
/// 1 s, and the reactor stops at 3 s. A fuse shorter than a second explodes in the Hatter's own hands; any other, in
/// Ben's.
/// </summary>
public sealed class FireCrackerSample : Sample
{
    public override string Name => "firecracker";
    public override Tutorial Tutorial => Tutorial.IntroDeferreds;
    public override string Section => "Twisted (the Mad Hatter on the reactor)";
    public override bool UsesRandomness => true;
    public override string Summary => "the Mad Hatter's FireCracker on the real reactor: whose hands does it explode in?";

    public override int Run(SampleContext context)
    {
        using var reactor = Reactor.Create(context.ReactorOptions);
        var fc = SetTheStage(reactor, reactor.Stop, context);
        // Start Twine.
        reactor.Run();
        // Ctrl-C stops the reactor early (and cleanly); say so in the exit code, as Reactor.React does.
        if (reactor.ExitSignal is { } signal) return 128 + signal;
        return fc.Exploded ? 0 : 1;
    }

    /// <summary>
    /// The story, told on any <see cref="IReactorTime"/>: the reactor when the sample runs, a manual <see cref="Clock"/>
    /// in tests, which can then check the outcome of every fuse length without waiting for real time.
    /// </summary>
    /// <returns>The FireCracker, to ask afterwards whether it exploded.</returns>
    public static FireCracker SetTheStage(IReactorTime reactor, Action stop, SampleContext context)
    {
        var random = context.NewRandom();
        // Hatter and Ben are born.
        var hatter = new MadHatter();
        var ben = new BenEills();
        // FireCracker appears, initially owned by the Hatter.
        var fc = new FireCracker(hatter, reactor, context, random);
        // The Hatter lights the fuse immediately.
        reactor.CallLater(TimeSpan.Zero, fc.LightFuse);
        // Waits one second and passes it to Ben.
        reactor.CallLater(context.Seconds(1), () => fc.HandTo(ben));
        // And shuts down after 3 seconds, long enough for the FireCracker to certainly explode.
        reactor.CallLater(context.Seconds(3), stop);
        return fc;
    }

    public sealed class FireCracker(object owner, IReactorTime reactor, SampleContext context, Random random)
    {
        private object _owner = owner;

        public bool Exploded { get; private set; }

        public void HandTo(object newOwner)
        {
            if (Exploded)
            {
                context.WriteLine($"{_owner} has nothing left to hand to {newOwner}");
                return;
            }
            context.WriteLine($"{_owner} hands the FireCracker to {newOwner}");
            _owner = newOwner;
        }

        public void Explode(bool rv)
        {
            Exploded = true;
            context.WriteLine($"BOOM! Firecracker exploded in the unlucky hands of {_owner}");
        }

        public void LightFuse()
        {
            double burningTime = new[] { 0.5, 1.0, 1.5, 2.0 }[random.Next(4)];
            context.WriteLine($"{_owner} lights the fuse (it burns for {burningTime:0.0} s)");
            var d = new Deferred<bool>();
            d.AddCallback(Explode);
            reactor.CallLater(context.Seconds(burningTime), () => d.Callback(true));
        }
    }

    private sealed class MadHatter
    {
        public override string ToString() => "Mad Hatter";
    }

    private sealed class BenEills
    {
        public override string ToString() => "Ben Eills";
    }
}
