using Twine.Protocols;

namespace Twine.Tests.Protocols;

public sealed class ReceiveBufferTests
{
    [Fact]
    public void AppendConsumeAndClear()
    {
        var b = new ReceiveBuffer();
        Assert.True(b.IsEmpty);
        b.Append("hello "u8);
        b.Append("world"u8);
        Assert.Equal("hello world"u8.ToArray(), b.ToArray());
        b.Consume(6);
        Assert.Equal("world"u8.ToArray(), b.Span.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => b.Consume(6));
        b.Clear();
        Assert.True(b.IsEmpty);
        Assert.Equal(0, b.Length);
    }

    [Fact]
    public void HeldSpansSurviveGrowthClearAndAppend()
    {
        var b = new ReceiveBuffer();
        b.Append("first line"u8);
        b.Hold();
        var held = b.Span;
        b.Clear();
        b.Append(new byte[10_000]);          // forces a new array; the old one stays with the span
        b.Append("more"u8);
        Assert.Equal("first line"u8.ToArray(), held.ToArray());
        b.Release();
        Assert.Equal(10_004, b.Length);
    }

    [Fact]
    public void WhileHeldNothingBeforeTheWritePositionIsOverwritten()
    {
        var b = new ReceiveBuffer();
        b.Append(new byte[300]);
        b.Append("tail"u8);
        b.Hold();
        var tail = b.Span[300..];
        b.Consume(304);
        b.Append("next"u8);                  // empty and held: must not restart at offset 0
        Assert.Equal("tail"u8.ToArray(), tail.ToArray());
        b.Release();
        Assert.Equal("next"u8.ToArray(), b.ToArray());
    }

    [Fact]
    public void HandingBackTheTailOfAHeldBufferDoesNotCopy()
    {
        var b = new ReceiveBuffer();
        b.Append("line\r\nrest of it"u8);
        b.Hold();
        var rest = b.Span[6..];
        b.Clear();
        var capacity = b.Capacity;
        b.Append(rest);
        Assert.Equal("rest of it"u8.ToArray(), b.ToArray());
        Assert.Equal(capacity, b.Capacity);
        b.Release();
    }

    [Fact]
    public void LargeArraysAreReleasedOnceEmpty()
    {
        var b = new ReceiveBuffer();
        b.Append(new byte[200_000]);
        Assert.True(b.Capacity >= 200_000);
        b.Consume(200_000);
        Assert.Equal(0, b.Capacity);
    }

    [Fact]
    public void ManySmallAppendsAndConsumesStayWithinASmallArray()
    {
        var b = new ReceiveBuffer();
        for (var i = 0; i < 100_000; i++)
        {
            b.Append("abcdefgh"u8);
            b.Consume(i % 2 == 0 ? 4 : 12);
        }
        Assert.True(b.Capacity <= 1024, $"capacity {b.Capacity}");
    }
}
