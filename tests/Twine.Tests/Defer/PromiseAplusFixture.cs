using Twine.Defer;

namespace Twine.Tests.Defer;

/// <summary>
/// Shared scaffolding for the Promises/A+ port. Where the JS suite (promises-aplus-tests) runs a test against an
/// already-settled, an immediately-settled and an eventually-settled promise, the theories do the same with
/// <see cref="Mode"/>: "immediately" settles right after the handlers are attached, "eventually" in a later turn of
/// the <see cref="ManualCallSoon"/> that drives every test.
/// </summary>
public abstract class PromiseAplusFixture
{
    public enum Mode { Already, Immediately, Eventually }

    public static TheoryData<Mode> Modes => new() { Mode.Already, Mode.Immediately, Mode.Eventually };

    protected readonly ManualCallSoon _soon = new();
    protected static readonly object Sentinel = new();
    protected static readonly InvalidOperationException Dummy = new("dummy reason");

    /// <summary>A promise that fulfils with <paramref name="value"/> as <paramref name="mode"/> says, once <c>Settle</c> is called.</summary>
    protected (Promise<T> Promise, Action Settle) Fulfilled<T>(T value, Mode mode)
    {
        if (mode == Mode.Already) return (Promise.Resolve(value, _soon), () => { });
        Action<T> resolve = null!;
        var p = new Promise<T>(_soon, (res, _) => resolve = res);
        return (p, Later(mode, () => resolve(value)));
    }

    protected (Promise<T> Promise, Action Settle) Rejected<T>(Exception reason, Mode mode)
    {
        if (mode == Mode.Already) return (Promise.Reject<T>(reason, _soon), () => { });
        Action<Exception> reject = null!;
        var p = new Promise<T>(_soon, (_, rej) => reject = rej);
        return (p, Later(mode, () => reject(reason)));
    }

    protected Action Later(Mode mode, Action settle) => mode == Mode.Immediately
        ? settle
        : () =>
        {
            _soon.RunUntilIdle();
            _soon.CallSoon(_ => settle(), null);
        };

    protected Promise<T> Pending<T>(out Action<T> resolve, out Action<Exception> reject)
    {
        Action<T> res = null!;
        Action<Exception> rej = null!;
        var p = new Promise<T>(_soon, (a, b) => { res = a; rej = b; });
        resolve = res;
        reject = rej;
        return p;
    }

    /// <summary>A handler that throws <paramref name="e"/> (a bare <c>_ =&gt; throw e</c> lambda fits every Then overload).</summary>
    protected static Func<TIn, TOut> Throws<TIn, TOut>(Exception e) => _ => throw e;
}
