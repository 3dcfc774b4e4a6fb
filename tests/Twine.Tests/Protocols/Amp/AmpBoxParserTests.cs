using System.Buffers.Binary;
using System.Text;
using Twine.Protocols.Amp;

namespace Twine.Tests.Protocols.Amp;

public sealed class AmpBoxParserTests
{
    private static byte[] B(string wire) => AmpWire.Bytes(wire);

    /// <summary>Feeds <paramref name="data"/> in the given chunk sizes the way AmpProtocol does: unused bytes are given again with more.</summary>
    private static List<AmpBox> Feed(AmpBoxParser parser, byte[] data, Func<int> nextChunk, List<AmpBox>? boxes = null)
    {
        boxes ??= [];
        var pending = new List<byte>();
        var i = 0;
        while (i < data.Length)
        {
            var size = Math.Min(nextChunk(), data.Length - i);
            pending.AddRange(data.AsSpan(i, size));
            i += size;
            while (true)
            {
                var span = pending.ToArray();
                var used = parser.Parse(span, out var box);
                pending.RemoveRange(0, used);
                if (box is null) break;
                boxes.Add(box);
            }
        }
        return boxes;
    }

    // AMP1: Twisted's test_receiveBoxData / test_receiveLongerBoxData, one byte at a time.
    [Fact]
    public void BoxesArrivingOneByteAtATime_AreReassembled_AMP1()
    {
        var one = new AmpBox { ["hello"] = B("world"), ["how"] = B("are you") };
        var two = new AmpBox { ["big"] = new byte[60000] };
        var data = one.Serialize().Concat(two.Serialize()).ToArray();

        var boxes = Feed(new AmpBoxParser(int.MaxValue), data, () => 1);

        Assert.Equal(2, boxes.Count);
        Assert.Equal(B("are you"), boxes[0]["how"]);
        Assert.Equal(60000, boxes[1]["big"].Length);
    }

    [Fact]
    public void PartialBox_IsReportedAsInsideABox()
    {
        var parser = new AmpBoxParser(int.MaxValue);
        var bytes = new AmpBox { ["k"] = B("v") }.Serialize();
        var used = parser.Parse(bytes.AsSpan(0, bytes.Length - 2), out var box);
        Assert.Null(box);
        Assert.Equal(bytes.Length - 2, used);
        Assert.True(parser.InsideBox);
        parser.Parse(bytes.AsSpan(used), out box);
        Assert.NotNull(box);
        Assert.False(parser.InsideBox);
    }

    // AMP2: test_firstBoxFirstKeyExcessiveLength, ...SubsequentKey..., subsequent box: caught from the prefix alone.
    [Theory]
    [InlineData(@"\x01\x00")]
    [InlineData(@"\x00\x01k\x00\x01v\x01\x00")]
    [InlineData(@"\x00\x01k\x00\x01v\x00\x00\xff\xff")]
    public void KeyLengthOver255_IsAnErrorAsSoonAsThePrefixArrives_AMP2(string latin1)
    {
        var parser = new AmpBoxParser(int.MaxValue);
        var data = B(latin1);
        var e = Assert.Throws<AmpTooLongException>(() => Feed(parser, data, () => data.Length));
        Assert.True(e.IsKey);
        Assert.False(e.IsLocal);
    }

    [Fact]
    public void BoxOverTheLimit_IsAnError_EvenBeforeItsValueArrives()
    {
        var parser = new AmpBoxParser(1000);
        var header = new byte[] { 0, 1, (byte)'k', 0x04, 0x00 };   // a 1024-byte value announced
        var e = Assert.Throws<AmpProtocolException>(() => parser.Parse(header, out _));
        Assert.Contains("1000", e.Message);
    }

    [Fact]
    public void ManySmallPairs_CountTowardsTheLimit()
    {
        var parser = new AmpBoxParser(100);
        var pair = B(@"\x00\x01k\x00\x01v");
        var data = Enumerable.Repeat(pair, 30).SelectMany(p => p).ToArray();
        Assert.Throws<AmpProtocolException>(() => parser.Parse(data, out _));
    }

    [Fact]
    public void DuplicateKeys_TheLastOneWins_AsInTwisted()
    {
        var parser = new AmpBoxParser(int.MaxValue);
        parser.Parse(B(@"\x00\x01k\x00\x011\x00\x01k\x00\x012\x00\x00"), out var box);
        Assert.Equal(B("2"), box!["k"]);
        Assert.Equal(1, box.Count);
    }

    // Random input: whatever the bytes and however they are split, the parser either yields exactly the boxes a
    // whole-input parse yields, or stops with an AmpProtocolException at the same point. Nothing else escapes.
    [Fact]
    public void RandomInput_InRandomChunks_BehavesLikeAWholeInputParse()
    {
        for (var seed = 0; seed < 200; seed++)
        {
            var rng = new Random(seed);
            var data = RandomStream(rng);
            var (expected, expectedError) = ParseAll(data, () => data.Length);
            var (actual, actualError) = ParseAll(data, () => rng.Next(0, 50));
            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++) Assert.Equal(expected[i].Serialize(), actual[i].Serialize());
            Assert.Equal(expectedError?.GetType(), actualError?.GetType());
        }
    }

    private static (List<AmpBox>, Exception?) ParseAll(byte[] data, Func<int> chunk)
    {
        var parser = new AmpBoxParser(4096);
        var boxes = new List<AmpBox>();
        try
        {
            Feed(parser, data, () => Math.Max(1, chunk()), boxes);
            return (boxes, null);
        }
        catch (AmpProtocolException e)
        {
            return (boxes, e);
        }
    }

    /// <summary>Mostly well-formed pairs with random lengths, sometimes a random byte run: truncations, huge prefixes, garbage.</summary>
    private static byte[] RandomStream(Random rng)
    {
        var data = new List<byte>();
        var pairs = rng.Next(0, 40);
        for (var p = 0; p < pairs; p++)
        {
            switch (rng.Next(8))
            {
                case 0:
                    data.AddRange(new byte[] { 0, 0 });
                    break;
                case 1:
                    var junk = new byte[rng.Next(1, 20)];
                    rng.NextBytes(junk);
                    data.AddRange(junk);
                    break;
                default:
                    var key = new byte[rng.Next(1, 12)];
                    rng.NextBytes(key);
                    var value = new byte[rng.Next(0, 300)];
                    rng.NextBytes(value);
                    var prefix = new byte[2];
                    BinaryPrimitives.WriteUInt16BigEndian(prefix, (ushort)key.Length);
                    data.AddRange(prefix);
                    data.AddRange(key);
                    BinaryPrimitives.WriteUInt16BigEndian(prefix, (ushort)value.Length);
                    data.AddRange(prefix);
                    data.AddRange(value);
                    break;
            }
        }
        // Sometimes cut the stream anywhere: a truncated box simply waits for more.
        if (rng.Next(3) == 0 && data.Count > 0) data.RemoveRange(rng.Next(data.Count), 1);
        return [.. data];
    }
    // Keys that share a slot of the parser's key cache still come back as themselves.
    [Fact]
    public void KeysCollidingInTheCache_StayDistinct()
    {
        var parser = new AmpBoxParser(int.MaxValue);
        for (var round = 0; round < 3; round++)
        {
            parser.Parse(new AmpBox { ["axb"] = B("1"), ["ayb"] = B("2"), ["a"] = B("3") }.Serialize(), out var box);
            Assert.Equal(B("1"), box!["axb"]);
            Assert.Equal(B("2"), box["ayb"]);
            Assert.Equal(B("3"), box["a"]);
            Assert.Equal(3, box.Count);
        }
    }
}
