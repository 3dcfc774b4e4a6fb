namespace Twine.Samples.IntroDeferreds;

/// <summary>
/// "Intro to Python Asynchronous Programming and Twisted's Deferreds", "Taking Fate to its limits": a chain of eight
/// fuses tied end to end. The handler of each fuse lights the next one, and the last one blows up the barrel under the
/// Houses of Parliament and shuts Fate down. The chaining lives in user code: each <c>Ignite</c> asks Fate for a new
/// fuse.
/// </summary>
public sealed class FuseChainSample : Sample
{
    public override string Name => "fuse-chain";
    public override Tutorial Tutorial => Tutorial.IntroDeferreds;
    public override string Section => "Taking Fate to its limits";
    public override string Summary => "a chain of eight fuses on Fate, each igniting the next, ending under Parliament";

    public override int Run(SampleContext context)
    {
        var fate = new Fate(context.TimeScale);

        // Explodes Parliament and shuts down the universe.
        void ExplodeParliament()
        {
            context.WriteLine("Boom! The Houses of Parliament explode!");
            fate.Shutdown();
        }

        // The barrel end: burns 0.3 s. Then seven more, each tied to the current end (burning 0.0, 0.1, ... 0.6 s).
        var tmp = new FuseInChain(fate, context, ExplodeParliament, tieTo: null, burnTime: 0.3);
        for (int i = 0; i < 7; i++) tmp = new FuseInChain(fate, context, ExplodeParliament, tieTo: tmp, burnTime: i / 10.0);
        var last = tmp;
        last.Ignite();
        fate.Run();
        return 0;
    }

    /// <summary>A fuse in a chain, tied to the fuse it lights (<c>null</c>: tied directly to the barrel).</summary>
    private sealed class FuseInChain(Fate fate, SampleContext context, Action explodeBarrel, FuseInChain? tieTo, double burnTime)
    {
        private readonly FuseInChain? _next = tieTo;

        public void Ignite()
        {
            context.WriteLine("...igniting next fuse in chain...");
            var f = fate.GetFuse(burnTime);
            if (_next is null)
            {
                // The last fuse in the chain: blow up the barrel.
                f.SetHandler(explodeBarrel);
            }
            else
            {
                f.SetHandler(_next.Ignite);
            }
        }
    }
}
