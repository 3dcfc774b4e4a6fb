using System.Buffers.Binary;
using Twine.Protocols;
using Twine.Testing;
using Twine.Time;

namespace Twine.Tests.Protocols;

/// <summary>What the test receivers forward their callbacks to, so one test class covers all three widths.</summary>
public sealed class ReceiverHooks
{
    public readonly List<byte[]> Received = new();
    public Action<IntNStringReceiver, byte[]>? OnString;
    public Action<IntNStringReceiver, long>? OnLimit;
    public readonly List<long> Limits = new();

    internal void String(IntNStringReceiver r, ReadOnlySpan<byte> payload)
    {
        var copy = payload.ToArray();
        Received.Add(copy);
        OnString?.Invoke(r, copy);
    }

    /// <summary>Returns true when the default (close the connection) should run.</summary>
    internal bool Limit(IntNStringReceiver r, long length)
    {
        Limits.Add(length);
        if (OnLimit is null) return true;
        OnLimit(r, length);
        return false;
    }
}

internal sealed class Int32Tester(ReceiverHooks hooks) : Int32StringReceiver
{
    protected override void StringReceived(ReadOnlySpan<byte> payload) => hooks.String(this, payload);
    protected override void LengthLimitExceeded(long length) { if (hooks.Limit(this, length)) base.LengthLimitExceeded(length); }
}

internal sealed class Int16Tester(ReceiverHooks hooks) : Int16StringReceiver
{
    protected override void StringReceived(ReadOnlySpan<byte> payload) => hooks.String(this, payload);
    protected override void LengthLimitExceeded(long length) { if (hooks.Limit(this, length)) base.LengthLimitExceeded(length); }
}

internal sealed class Int8Tester(ReceiverHooks hooks) : Int8StringReceiver
{
    protected override void StringReceived(ReadOnlySpan<byte> payload) => hooks.String(this, payload);
    protected override void LengthLimitExceeded(long length) { if (hooks.Limit(this, length)) base.LengthLimitExceeded(length); }
}

/// <summary>IN1–IN5 for one prefix width; the three subclasses below run every test for their width.</summary>
public abstract class IntNStringReceiverTests
{
    protected abstract int PrefixLength { get; }
    private protected abstract IntNStringReceiver Create(ReceiverHooks hooks);

    private static readonly byte[][] Strings = ["hello"u8.ToArray(), "world"u8.ToArray(), "how"u8.ToArray(), "are"u8.ToArray(), "you123"u8.ToArray(), ":today"u8.ToArray(), new byte[200]];

    private (IntNStringReceiver, ReceiverHooks, MemoryTransport) Connected()
    {
        var hooks = new ReceiverHooks();
        var r = Create(hooks);
        var t = new MemoryTransport();
        r.MakeConnection(t);
        return (r, hooks, t);
    }

    protected byte[] Prefix(long length)
    {
        var p = new byte[PrefixLength];
        switch (PrefixLength)
        {
            case 1: p[0] = (byte)length; break;
            case 2: BinaryPrimitives.WriteUInt16BigEndian(p, (ushort)length); break;
            default: BinaryPrimitives.WriteUInt32BigEndian(p, (uint)length); break;
        }
        return p;
    }

    protected byte[] Message(byte[] payload) => [.. Prefix(payload.Length), .. payload];

    [Fact]
    public void IN1_ReceiveOneByteAtATime()
    {
        var (r, hooks, _) = Connected();
        foreach (var s in Strings)
            foreach (var b in Message(s))
                r.DataReceived([b]);
        Assert.Equal(Strings, hooks.Received);
    }

    [Fact]
    public void IN1_SendWritesTheBigEndianPrefixThenThePayload()
    {
        var (r, _, t) = Connected();
        r.SendString("foo"u8);
        var expected = PrefixLength switch
        {
            4 => new byte[] { 0, 0, 0, 3, (byte)'f', (byte)'o', (byte)'o' },
            2 => new byte[] { 0, 3, (byte)'f', (byte)'o', (byte)'o' },
            _ => new byte[] { 3, (byte)'f', (byte)'o', (byte)'o' },
        };
        Assert.Equal(expected, t.Value());
        t.Clear();
        r.SendString(new byte[16]);
        Assert.Equal([.. Prefix(16), .. new byte[16]], t.Value());
    }

    [Fact]
    public void IN1_PartialInputDeliversNothing()
    {
        byte[][] partials = [Prefix(5)[..^1], [.. Prefix(5), .. "abcd"u8.ToArray()], Prefix(10)];
        foreach (var partial in partials)
        {
            var (r, hooks, t) = Connected();
            foreach (var b in partial) r.DataReceived([b]);
            Assert.Empty(hooks.Received);
            Assert.False(t.Disconnecting);
        }
    }

    [Fact]
    public void IN1_ManyMessagesInOneChunk()
    {
        var (r, hooks, _) = Connected();
        r.DataReceived(Strings.SelectMany(Message).ToArray());
        Assert.Equal(Strings, hooks.Received);
    }

    [Fact]
    public void IN2_MaxLengthIs99999ForEveryWidth()
    {
        Assert.Equal(99999, Create(new ReceiverHooks()).MaxLength);
    }

    [Fact]
    public void IN2_LengthLimitExceededAsSoonAsThePrefixArrives()
    {
        var (r, hooks, _) = Connected();
        hooks.OnLimit = (_, _) => { };
        r.MaxLength = 10;
        r.DataReceived(Prefix(11));
        Assert.Equal([11L], hooks.Limits);
    }

    [Fact]
    public void IN2_LongStringIsNotDeliveredEvenIfComplete()
    {
        var (r, hooks, t) = Connected();
        r.MaxLength = 10;
        r.DataReceived([.. Prefix(11), .. new byte[11]]);
        Assert.Empty(hooks.Received);
        Assert.True(t.Disconnecting);
    }

    [Fact]
    public void IN2_IllegalPrefixClosesTheConnection()
    {
        var (r, hooks, t) = Connected();
        r.MaxLength = 5;
        r.DataReceived([.. Message("ok"u8.ToArray()), .. Prefix(200), .. "aaaaaa"u8.ToArray()]);
        Assert.Equal(["ok"u8.ToArray()], hooks.Received);
        Assert.True(t.Disconnecting);
    }

    [Fact]
    public void IN3_SendStringRefusesLengthsThePrefixCannotHold()
    {
        var (r, _, t) = Connected();
        if (PrefixLength == 4)
        {
            // No span can reach 2^32 bytes; MaxLength is not checked on send.
            r.SendString(new byte[100_000]);
            Assert.Equal(100_000 + 4, t.Value().Length);
            return;
        }
        var limit = 1 << (8 * PrefixLength);
        r.SendString(new byte[limit - 1]);
        var e = Assert.Throws<StringTooLongException>(() => r.SendString(new byte[limit]));
        Assert.Equal(limit, e.Length);
        Assert.Equal(limit, e.Limit);
        Assert.IsAssignableFrom<ArgumentException>(e);
    }

    [Fact]
    public void IN4_PausingStopsTheParseLoopAndResumeFlushes()
    {
        var clock = new Clock();
        var (r, hooks, t) = Connected();
        hooks.OnString = (p, s) =>
        {
            if (s.AsSpan().SequenceEqual("pause"u8))
            {
                p.PauseProducing();
                clock.CallLater(TimeSpan.Zero, p.ResumeProducing);
            }
        };
        r.DataReceived([.. Message("a"u8.ToArray()), .. Message("pause"u8.ToArray()), .. Message("b"u8.ToArray())]);
        Assert.Equal(2, hooks.Received.Count);
        Assert.True(r.Paused);
        Assert.Equal(ProducerState.Paused, t.ProducerState);
        r.DataReceived(Message("c"u8.ToArray()));
        Assert.Equal(2, hooks.Received.Count);
        clock.Advance(TimeSpan.Zero);
        Assert.Equal(["a"u8.ToArray(), "pause"u8.ToArray(), "b"u8.ToArray(), "c"u8.ToArray()], hooks.Received);
        Assert.Equal(ProducerState.Producing, t.ProducerState);
    }

    [Fact]
    public void IN4_StopProducingStopsDeliveryAndTheTransport()
    {
        var (r, hooks, t) = Connected();
        hooks.OnString = (p, _) => p.StopProducing();
        r.DataReceived([.. Message("a"u8.ToArray()), .. Message("b"u8.ToArray())]);
        Assert.Single(hooks.Received);
        Assert.Equal(ProducerState.Stopped, t.ProducerState);
    }

    [Fact]
    public void IN5_RemainingBytesInsideStringReceivedAreTheRestOfTheBuffer()
    {
        var (r, hooks, _) = Connected();
        var seen = new List<byte[]>();
        hooks.OnString = (p, _) => seen.Add(p.RemainingBytes.ToArray());
        var complete = Message("aaaaa"u8.ToArray());
        var incomplete = Message("bbbbb"u8.ToArray())[..^1];
        r.DataReceived([.. complete, .. incomplete]);
        Assert.Equal([incomplete], seen);
    }

    [Fact]
    public void IN5_ReplacingTheRemainingBytesChangesWhatIsParsed()
    {
        var (r, hooks, _) = Connected();
        var messageC = Message("ccccc"u8.ToArray());
        hooks.OnString = (p, _) => { if (hooks.Received.Count == 1) p.ReplaceRemainingBytes(messageC); };
        r.DataReceived([.. Message("aaaaa"u8.ToArray()), .. Message("bbbbb"u8.ToArray())]);
        Assert.Equal(["aaaaa"u8.ToArray(), "ccccc"u8.ToArray()], hooks.Received);
    }

    [Fact]
    public void IN5_SwitchingByRewritingTheRemainder()
    {
        var (r, hooks, _) = Connected();
        var zero = new byte[PrefixLength == 1 ? 2 : PrefixLength];   // a marker that is not a valid message start here
        zero[0] = 0xEE;
        var mix = Strings.SelectMany(s => Message(s).Concat(zero)).ToArray();
        hooks.OnString = (p, _) =>
        {
            var rest = p.RemainingBytes;
            if (rest.StartsWith(zero)) p.ReplaceRemainingBytes(rest[zero.Length..]);
        };
        r.DataReceived(mix);
        r.DataReceived([1]);
        Assert.Equal(Strings, hooks.Received);
        Assert.Equal([1], r.RemainingBytes.ToArray());
    }

    [Fact]
    public void IN5_TakeRemainingBytesHandsOverTheRestAndStopsParsing()
    {
        var (r, hooks, _) = Connected();
        byte[]? handedOver = null;
        hooks.OnString = (p, s) => { if (s.AsSpan().SequenceEqual("switch"u8)) handedOver = p.TakeRemainingBytes(); };
        var after = Message("not for me"u8.ToArray()).Concat("raw bytes"u8.ToArray()).ToArray();
        r.DataReceived([.. Message("switch"u8.ToArray()), .. after]);
        Assert.Equal(["switch"u8.ToArray()], hooks.Received);
        Assert.Equal(after, handedOver);
        Assert.Equal(0, r.RemainingBytes.Length);
    }

    [Fact]
    public void IN5_RemainingBytesInLengthLimitExceededIncludeThePrefix()
    {
        var (r, hooks, _) = Connected();
        var data = "too long"u8.ToArray();
        r.MaxLength = data.Length - 1;
        var message = Message(data);
        byte[]? seen = null;
        hooks.OnLimit = (p, _) => seen = p.RemainingBytes.ToArray();
        r.DataReceived(message);
        Assert.Equal([(long)data.Length], hooks.Limits);
        Assert.Equal(message, seen);
    }
}

public sealed class Int32StringReceiverTests : IntNStringReceiverTests
{
    protected override int PrefixLength => 4;
    private protected override IntNStringReceiver Create(ReceiverHooks hooks) => new Int32Tester(hooks);

    [Fact]
    public void IN2_HugePrefixIsRefusedWithoutAllocating()
    {
        var hooks = new ReceiverHooks();
        var r = new Int32Tester(hooks);
        var t = new MemoryTransport();
        r.MakeConnection(t);
        r.DataReceived([0xFF, 0xFF, 0xFF, 0xFF]);
        Assert.Equal([4294967295L], hooks.Limits);
        Assert.True(t.Disconnecting);
    }
}

public sealed class Int16StringReceiverTests : IntNStringReceiverTests
{
    protected override int PrefixLength => 2;
    private protected override IntNStringReceiver Create(ReceiverHooks hooks) => new Int16Tester(hooks);
}

public sealed class Int8StringReceiverTests : IntNStringReceiverTests
{
    protected override int PrefixLength => 1;
    private protected override IntNStringReceiver Create(ReceiverHooks hooks) => new Int8Tester(hooks);
}
