namespace Twine.Samples.WhyPromises;

using Twine.Defer;

/// <summary>
/// "Why do we need promises in python?", "Promises to the rescue" (the tutorial's defer.py): a Deferred with three
/// <c>AddCallbacks(success, failure)</c> pairs, fired with "success". Adding the call-backs runs nothing; firing the
/// Deferred runs the success call-backs one after another, each receiving what the previous one returned.
/// </summary>
/// <remarks>
/// <para>defer.py prints "processing" in <c>main</c> before <c>returns_promise</c> prints "program starts"; here the
/// program starts first, then builds its chain and goes on processing before the result arrives, which is the order
/// the names suggest.</para>
/// <para>defer.py's call-backs also <c>time.sleep</c> for 1–3 s to look busy. A call-back that blocks stalls everything
/// else on the loop, so these return at once.</para>
/// </remarks>
public sealed class DeferChainSample : Sample
{
    public override string Name => "defer-chain";
    public override Tutorial Tutorial => Tutorial.WhyPromises;
    public override string Section => "Promises to the rescue (addCallbacks)";
    public override string Summary => "a Deferred with three AddCallbacks(success, failure) pairs, fired with \"success\"";

    public override int Run(SampleContext context)
    {
        var w = context.Out;

        // Like defer.py's, these call-backs return nothing, so the next one receives nothing: Unit is C#'s None. An
        // errback that returns normally handles the failure and the chain goes on with success (see the errbacks sample).
        void CallBack1(string result) => w.WriteLine("call-back 1 done");
        void CallBack1Err(Failure failure) => w.WriteLine("call-back 1 err done");
        void CallBack2(Unit result) => w.WriteLine("call-back 2 done");
        void CallBack2Err(Failure failure) => w.WriteLine("call-back 2 err done");
        void CallBack3(Unit result) => w.WriteLine("call-back 3 done");
        void CallBack3Err(Failure failure) => w.WriteLine("call-back 3 err done");

        Deferred<string> ReturnsPromise() => new();

        w.WriteLine("program starts");
        var promise = ReturnsPromise();
        // AddCallbacks returns the chain, so the pairs chain; nothing runs yet.
        promise.AddCallbacks(CallBack1, CallBack1Err)
               .AddCallbacks(CallBack2, CallBack2Err)
               .AddCallbacks(CallBack3, CallBack3Err);
        w.WriteLine("processing");
        // Firing it runs the success call-backs, in order, right now.
        promise.Callback("success");
        return 0;
    }
}
