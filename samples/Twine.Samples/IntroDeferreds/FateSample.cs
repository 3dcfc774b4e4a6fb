namespace Twine.Samples.IntroDeferreds;

/// <summary>
/// "Intro to Python Asynchronous Programming and Twisted's Deferreds", "A Mad Hatter" and "Fate": the Mad Hatter lights
/// a FireCracker's fuse and hands it to Ben Eills. With the toy event manager <see cref="Fate"/>, lighting the fuse
/// returns at once (a <c>time.sleep</c> would have kept the Hatter holding it until it blew), so the hand-over happens
/// and the FireCracker explodes in Ben's hands. Two seconds after any explosion, Fate shuts down.
/// </summary>
public sealed class FateSample : Sample
{
    public override string Name => "fate";
    public override Tutorial Tutorial => Tutorial.IntroDeferreds;
    public override string Section => "Fate";
    public override bool UsesRandomness => true;
    public override string Summary => "the tutorial's toy event manager Fate and its Fuse: the FireCracker the Mad Hatter lit";

    public override int Run(SampleContext context)
    {
        var random = context.NewRandom();

        // Universe comes into existence.
        var fate = new Fate(context.TimeScale);
        // Hatter and Ben are born.
        var hatter = new MadHatter();
        var ben = new BenEills();
        // FireCracker appears, initially owned by the Hatter.
        var fc = new FireCracker(hatter, fate, context, random);
        // The Hatter lights the fuse...
        fc.LightFuse();
        // ...and hands it to Ben.
        fc.HandTo(ben);
        // Universe begins paying attention to duration of time. At some point during Run the FireCracker explodes,
        // and 2 seconds later Fate is shut down.
        fate.Run();
        // Universe has ended. We have no clean-up to do.
        context.WriteLine("Fate has shut down: the universe has ended");
        return 0;
    }

    private sealed class FireCracker(object owner, Fate fate, SampleContext context, Random random)
    {
        private object _owner = owner;

        public void HandTo(object newOwner)
        {
            context.WriteLine($"{_owner} hands the FireCracker to {newOwner}");
            _owner = newOwner;
        }

        public void Explode()
        {
            context.WriteLine($"BOOM! Firecracker exploded in the unlucky hands of {_owner}");
            // After any explosion, shut down 2 seconds later; otherwise we would have to kill the program.
            var f = fate.GetFuse(2);
            f.SetHandler(fate.Shutdown);
        }

        public void LightFuse()
        {
            double burningTime = new[] { 0.5, 1.0, 1.5, 2.0 }[random.Next(4)];
            context.WriteLine($"{_owner} lights the fuse (it burns for {burningTime:0.0} s)");
            var f = fate.GetFuse(burningTime);
            f.SetHandler(Explode);
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
