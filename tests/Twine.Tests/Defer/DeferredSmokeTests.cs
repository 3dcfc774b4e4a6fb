using Twine.Defer;

namespace Twine.Tests.Defer;

public class DeferredSmokeTests
{
    [Fact]
    public void D3_ChainRunsInOrderAndChangesType()
    {
        var d = new Deferred<int>();
        var log = new List<string>();
        d.AddCallback(x => x + 1).AddCallback(x => $"v={x}").AddCallback(s => log.Add(s));
        d.Callback(1);
        Assert.Equal(["v=2"], log);
    }

    [Fact]
    public void CH1_CallbackReturningPendingDeferredPausesChain()
    {
        var inner = new Deferred<string>();
        var d = new Deferred<int>();
        string? seen = null;
        d.AddCallback(_ => inner).AddCallback(s => { seen = s; });
        d.Callback(1);
        Assert.True(d.IsWaiting);
        Assert.Null(seen);
        inner.Callback("x");
        Assert.Equal("x", seen);
        Assert.False(d.IsWaiting);
    }

    [Fact]
    public async Task IC_AsyncDeferredAwaitsPending()
    {
        var inner = new Deferred<int>();
        async Deferred<int> Twice() => 2 * await inner;
        var result = Twice();
        Assert.False(result.Called);
        inner.Callback(21);
        Assert.Equal(42, result.Result.Value);
        await Task.CompletedTask;
    }

    [Fact]
    public void CH6_TenThousandChainedDeferredsDoNotGrowStack()
    {
        var first = new Deferred<int>();
        var outers = new List<Deferred<int>>();
        Deferred<int> last = first;
        for (int i = 0; i < 10_000; i++)
        {
            var prev = last;
            var d = new Deferred<int>();
            var chained = d.AddCallback(_ => prev);
            d.Callback(0);
            last = chained;
        }
        int result = -1;
        last.AddCallback(x => { result = x; });
        first.Callback(7);
        Assert.Equal(7, result);
    }
}
