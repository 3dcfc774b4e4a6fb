using Twine.Net.Sockets;
using Twine.Net.Tcp;

namespace Twine.Tests.Net.Sockets;

public class WriteSegmentPoolTests
{
    [Fact]
    public void KeepsAsManyChunksAsWereInUseAtOnce()
    {
        var pool = new WriteSegmentPool();
        var held = Enumerable.Range(0, 1000).Select(_ => pool.Rent()).ToList();
        foreach (var s in held) pool.Return(s);
        Assert.Equal(1000, pool.Count);

        // The next burst of the same size is served from the pool: nothing new is allocated.
        var again = Enumerable.Range(0, 1000).Select(_ => pool.Rent()).ToList();
        Assert.Equal(0, pool.Count);
        Assert.Empty(again.Except(held));
        foreach (var s in again) pool.Return(s);
    }

    [Fact]
    public void ShrinksBackAfterTwoLighterWindows()
    {
        var pool = new WriteSegmentPool();
        var burst = Enumerable.Range(0, 1000).Select(_ => pool.Rent()).ToList();
        foreach (var s in burst) pool.Return(s);
        Assert.Equal(1000, pool.Count);

        // Light traffic: one chunk in use at a time, for two whole windows.
        for (int i = 0; i < 2 * WriteSegmentPool.Window; i++) pool.Return(pool.Rent());
        Assert.Equal(WriteSegmentPool.MinPooled, pool.Count);
    }

    [Fact]
    public void NeverKeepsMoreThanTheCap()
    {
        var pool = new WriteSegmentPool();
        var held = Enumerable.Range(0, WriteSegmentPool.MaxPooled + 100).Select(_ => pool.Rent()).ToList();
        foreach (var s in held) pool.Return(s);
        Assert.Equal(WriteSegmentPool.MaxPooled, pool.Count);
    }

    [Fact]
    public void LargeWriteArraysAreNotPooled()
    {
        var pool = new WriteSegmentPool();
        pool.Return(new WriteSegment(64 * 1024, pooled: false));
        Assert.Equal(0, pool.Count);
    }
}
