namespace Twine.Samples.WhyPromises;

using Twine.Defer;
using Twine.Reactors;
using Twine.Time;

/// <summary>
/// "Why do we need promises in python?", "Promises to the rescue" (<c>returnsDefer</c>): a function returns a Deferred
/// at once and fires it 2 seconds later with <c>CallLater</c>, standing in for some asynchronous operation. The
/// tutorial's chain <c>AddCallbacks(success, failure).AddCallbacks(anotherSuccess, anotherFailure)</c> receives
/// "success"; the first call-back starts another asynchronous operation and returns its Deferred, and the chain waits
/// for it.
/// </summary>
public sealed class ReturnsDeferSample : Sample
{
    public override string Name => "returns-defer";
    public override Tutorial Tutorial => Tutorial.WhyPromises;
    public override string Section => "Promises to the rescue (returnsDefer)";
    public override string Summary => "returnsDefer() hands back a Deferred that CallLater fires 2 s later with \"success\"";

    public override int Run(SampleContext context) =>
        Reactor.React((reactor, _) => Main(reactor, context), [], context.ReactorOptions);

    private static Deferred Main(IReactorTime reactor, SampleContext context)
    {
        // Do some asynchronous operation here; for the demo, CallLater fires the Deferred after two seconds.
        Deferred<string> ReturnsDefer()
        {
            var d = new Deferred<string>();
            reactor.CallLater(context.Seconds(2), () => d.Callback("success"));
            return d;
        }

        Deferred<string> SomeOtherAsyncFunction(string input)
        {
            var d = new Deferred<string>();
            reactor.CallLater(context.Seconds(0.5), () => d.Callback($"another {input}"));
            return d;
        }

        Deferred<string> Success(string asyncResult)
        {
            context.WriteLine($"success call-back received \"{asyncResult}\"; it starts someOtherAsyncFunction()");
            // Returning a Deferred from a call-back: the chain waits for it and goes on with its result.
            return SomeOtherAsyncFunction(asyncResult);
        }

        Deferred<string> Failure(Failure error)
        {
            context.WriteLine($"failure call-back received {error.GetErrorMessage()}");
            return Deferred.Fail<string>(error);
        }

        void AnotherSuccess(string asyncResult) => context.WriteLine($"anotherSuccess call-back received \"{asyncResult}\"");

        void AnotherFailure(Failure error) => context.WriteLine($"anotherFailure call-back received {error.GetErrorMessage()}");

        var d = ReturnsDefer();
        context.WriteLine("returnsDefer() returned a Deferred at once; the reactor fires it in 2 s");
        return d.AddCallbacks(Success, Failure).AddCallbacks(AnotherSuccess, AnotherFailure);
    }
}
