using Twine.Net.Tls;

namespace Twine.Tests.Net.Tls;

/// <summary>The never-blocking in-memory stream under SslStream.</summary>
public sealed class CipherStreamTests
{
    private readonly List<byte[]> _written = [];

    private CipherStream Create() => new(data => _written.Add(data.ToArray()));

    /// <summary>The result of a read that has completed (never blocks: asserted first).</summary>
    private static int ResultOf(ValueTask<int> read)
    {
        Assert.True(read.IsCompleted);
        return read.GetAwaiter().GetResult();
    }

    /// <summary>Registers a continuation as SslStream does (no captured context), so it runs where the read completes.</summary>
    private static void OnCompleted(ValueTask<int> read, Action<int> action)
    {
        var awaiter = read.ConfigureAwait(false).GetAwaiter();
        awaiter.UnsafeOnCompleted(() => action(awaiter.GetResult()));
    }

    [Fact]
    public void APendingReadIsCompletedInsideFeedWithTheBytesCopiedStraightIn()
    {
        var stream = Create();
        var buffer = new byte[4];
        var read = stream.ReadAsync(buffer);
        Assert.False(read.IsCompleted);
        int? seen = null;
        OnCompleted(read, n => seen = n);
        stream.Feed("abcdef"u8);
        Assert.Equal(4, seen);   // ran inside Feed, on this thread
        Assert.Equal("abcd"u8.ToArray(), buffer);
        Assert.Equal(2, stream.Buffered);
    }

    [Fact]
    public void BufferedBytesAreReadAtOnceAndKeptInOrderAcrossFeeds()
    {
        var stream = Create();
        stream.Feed("hello "u8);
        stream.Feed("world"u8);
        var buffer = new byte[64];
        var read = stream.ReadAsync(buffer);
        Assert.True(read.IsCompleted);
        Assert.Equal("hello world", System.Text.Encoding.ASCII.GetString(buffer, 0, ResultOf(read)));
        Assert.Equal(0, stream.Buffered);
    }

    [Fact]
    public void AZeroByteReadWaitsForDataWithoutTakingIt()
    {
        var stream = Create();
        var wait = stream.ReadAsync(Memory<byte>.Empty);
        Assert.False(wait.IsCompleted);
        stream.Feed("x"u8);
        Assert.True(wait.IsCompleted);
        Assert.Equal(0, ResultOf(wait));
        Assert.Equal(1, stream.Buffered);
        Assert.False(stream.EndReturned);
    }

    [Fact]
    public void TheEndCompletesAPendingReadWithZeroAndIsRemembered()
    {
        var stream = Create();
        var read = stream.ReadAsync(new byte[8]);
        stream.FeedEnd();
        Assert.True(read.IsCompleted);
        Assert.Equal(0, ResultOf(read));
        Assert.True(stream.EndReturned);
        stream.Feed("ignored after the end"u8);
        Assert.Equal(0, stream.Buffered);
    }

    [Fact]
    public void BufferedBytesAreStillReadAfterTheEnd()
    {
        var stream = Create();
        stream.Feed("tail"u8);
        stream.FeedEnd();
        Assert.False(stream.EndReturned);
        var buffer = new byte[8];
        Assert.Equal(4, stream.Read(buffer));
        Assert.Equal(0, stream.Read(buffer));
        Assert.True(stream.EndReturned);
    }

    [Fact]
    public void ASynchronousReadWithNothingBufferedRefusesToBlock()
    {
        var stream = Create();
        var e = Assert.Throws<InvalidOperationException>(() => stream.Read(new byte[1]));
        Assert.Contains("never blocks", e.Message);
    }

    [Fact]
    public void TwoReadsAtOnceAreRefused()
    {
        var stream = Create();
        _ = stream.ReadAsync(new byte[1]);
        Assert.Throws<InvalidOperationException>(() => stream.ReadAsync(new byte[1]));
    }

    [Fact]
    public void WritesGoStraightToTheSinkAndCompleteAtOnce()
    {
        var stream = Create();
        var write = stream.WriteAsync("cipher"u8.ToArray());
        Assert.True(write.IsCompleted);
        stream.Write("text"u8);
        Assert.Equal(["cipher"u8.ToArray(), "text"u8.ToArray()], _written);
    }

    [Fact]
    public void ManyFeedsWithoutAReaderGrowTheBufferAndKeepEveryByte()
    {
        var stream = Create();
        var expected = new List<byte>();
        var random = new Random(7);
        for (int i = 0; i < 200; i++)
        {
            var chunk = new byte[random.Next(1, 3000)];
            random.NextBytes(chunk);
            stream.Feed(chunk);
            expected.AddRange(chunk);
            if (i % 3 == 0)
            {
                var part = new byte[random.Next(1, 5000)];
                int n = stream.Read(part);
                Assert.Equal(expected.Take(n), part.Take(n));
                expected.RemoveRange(0, n);
            }
        }
        var rest = new byte[expected.Count];
        Assert.Equal(expected.Count, stream.Read(rest));
        Assert.Equal(expected, rest);
    }
}
