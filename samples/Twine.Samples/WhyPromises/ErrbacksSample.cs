namespace Twine.Samples.WhyPromises;

using Twine.Defer;

/// <summary>
/// "Why do we need promises in python?", "Promises to the rescue" (<c>addErrback</c> twice): two errbacks on one
/// Deferred, which is fired with an error (<c>d.errback(ValueError("Activate the failure callbacks ! "))</c>; a
/// ValueError is an <see cref="ArgumentException"/> here).
/// </summary>
/// <remarks>
/// <para><b>Correction.</b> The tutorial says both errbacks run, as if every errback always ran. In Twisted the second
/// one runs only because the tutorial's <c>first_error_handler</c> takes no argument: calling it raises a TypeError,
/// and that new failure is what reaches the second handler (which takes no argument either, so it fails again and the
/// Deferred ends with an unhandled error). An errback is like an <c>except</c> block: if it returns normally it has
/// <em>handled</em> the failure and the chain goes back to success, so later errbacks do not run.</para>
/// <para>This sample shows both, on purpose: an errback that re-raises (the failure goes on and the second errback
/// handles it) and one that returns (it recovers the chain, and the second errback does not run).</para>
/// </remarks>
public sealed class ErrbacksSample : Sample
{
    public override string Name => "errbacks";
    public override Tutorial Tutorial => Tutorial.WhyPromises;
    public override string Section => "Promises to the rescue (addErrback)";
    public override string Summary => "two errbacks on one failed Deferred: one that re-raises (both run), one that recovers";

    public override int Run(SampleContext context)
    {
        var w = context.Out;

        w.WriteLine("1. the first errback re-raises, so the failure reaches the second:");
        {
            var d = new Deferred<string>();
            d.AddErrback(failure =>
            {
                w.WriteLine($"   first_error_handler: {Describe(failure)} -> re-raises it");
                failure.RaiseException();   // or f.Trap<SomeOtherException>(), which re-raises what it does not match
            });
            d.AddErrback(failure =>
            {
                w.WriteLine($"   second_error_handler: {Describe(failure)} -> handles it");
            });
            d.AddCallback(_ => w.WriteLine("   the chain goes on with success after the second errback"));
            d.Errback(new ArgumentException("Activate the failure callbacks ! "));
        }

        w.WriteLine("2. the first errback returns, which handles the failure: the second does not run:");
        {
            bool secondRan = false;
            var d = new Deferred<string>();
            d.AddErrback(failure =>
            {
                w.WriteLine($"   first_error_handler: {Describe(failure)} -> returns \"recovered\"");
                return "recovered";
            });
            d.AddErrback(failure =>
            {
                secondRan = true;
                w.WriteLine($"   second_error_handler: {Describe(failure)}");
            });
            d.AddCallback(result => w.WriteLine($"   the next call-back receives \"{result}\""));
            d.Errback(new ArgumentException("Activate the failure callbacks ! "));
            w.WriteLine(secondRan ? "   second_error_handler ran (wrong!)" : "   second_error_handler did not run");
            if (secondRan) return 1;
        }

        return 0;
    }

    private static string Describe(Failure failure) => $"{failure.Type.Name}: {failure.Value.Message.TrimEnd()}";
}
