using System.Text;
using Twine.Protocols.Amp;

namespace Twine.Tests.Protocols.Amp;

public sealed class AmpBoxTests
{
    private static byte[] B(string wire) => AmpWire.Bytes(wire);

    // AMP1: Twisted's own serialization of {_ask: 1, _command: Sum, a: 1, b: 2}, keys sorted bytewise.
    [Fact]
    public void Serialize_MatchesTwistedBytes_AMP1()
    {
        var box = new AmpBox { ["b"] = B("2"), ["_command"] = B("Sum"), ["a"] = B("1"), ["_ask"] = B("1") };
        Assert.Equal(B(@"\x00\x04_ask\x00\x011\x00\x08_command\x00\x03Sum\x00\x01a\x00\x011\x00\x01b\x00\x012\x00\x00"), box.Serialize());
        Assert.Equal(box.Serialize().Length, box.SerializedLength);
    }

    [Fact]
    public void EmptyBox_IsJustTheTerminator_AMP1()
    {
        Assert.Equal(new byte[] { 0, 0 }, new AmpBox().Serialize());
    }

    [Fact]
    public void EmptyValue_IsAllowed_AMP1()
    {
        var box = new AmpBox { ["k"] = [] };
        Assert.Equal(B(@"\x00\x01k\x00\x00\x00\x00"), box.Serialize());
    }

    // AMP2: limits are enforced before anything could be sent.
    [Fact]
    public void KeyLongerThan255_IsRefusedLocally_AMP2()
    {
        var box = new AmpBox();
        box.Set(new string('k', 255), []);
        var e = Assert.Throws<AmpTooLongException>(() => box.Set(new string('k', 256), []));
        Assert.True(e.IsKey);
        Assert.True(e.IsLocal);
        Assert.Equal(256, e.Length);
    }

    [Fact]
    public void ValueLongerThan65535_IsRefusedLocally_AMP2()
    {
        var box = new AmpBox();
        box.Set("v", new byte[65535]);
        var e = Assert.Throws<AmpTooLongException>(() => box.Set("w", new byte[65536]));
        Assert.False(e.IsKey);
        Assert.True(e.IsLocal);
        Assert.Equal("w", e.KeyName);
        Assert.False(box.ContainsKey("w"));
    }

    [Fact]
    public void EmptyOrNonByteKeys_AreRefused()
    {
        var box = new AmpBox();
        Assert.Throws<ArgumentException>(() => box.Set("", []));
        Assert.Throws<ArgumentException>(() => box.Set("ключ", []));
        box.Set("\u00e9", [1]);   // Latin-1 characters are bytes
        Assert.Equal(B(@"\x00\x01\xe9\x00\x01\x01\x00\x00"), box.Serialize());
    }

    [Fact]
    public void ParseMany_ReadsConcatenatedBoxes_AndRefusesATruncatedOne_AMP11()
    {
        var first = new AmpBox { ["a"] = B("7"), ["b"] = B("hello") };
        var second = new AmpBox { ["a"] = B("9") };
        var bytes = first.Serialize().Concat(second.Serialize()).ToArray();

        var boxes = AmpBox.ParseMany(bytes);

        Assert.Equal(2, boxes.Count);
        Assert.Equal(B("hello"), boxes[0]["b"]);
        Assert.Equal(B("9"), boxes[1]["a"]);
        Assert.Throws<AmpProtocolException>(() => AmpBox.ParseMany(bytes.AsSpan(0, bytes.Length - 1)));
        Assert.Empty(AmpBox.ParseMany([]));
    }

    [Fact]
    public void Indexer_OnAMissingKey_SaysWhichKey()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => new AmpBox()["nope"]);
        Assert.Contains("nope", e.Message);
    }
    // Past 16 keys the box indexes them; every operation must agree with the small-box path.
    [Theory]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(100)]
    public void ManyKeys_SetGetRemoveAndSerialize_Agree(int count)
    {
        var box = new AmpBox();
        var rng = new Random(count);
        var expected = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var i in Enumerable.Range(0, count).OrderBy(_ => rng.Next()))
        {
            var key = $"k{i}";
            box[key] = [(byte)i];
            expected[key] = [(byte)i];
        }
        box["k0"] = [42];
        expected["k0"] = [42];
        for (var i = 0; i < count; i += 3)
        {
            Assert.True(box.Remove($"k{i}"));
            expected.Remove($"k{i}");
        }
        Assert.False(box.Remove("absent"));

        Assert.Equal(expected.Count, box.Count);
        foreach (var (key, value) in expected) Assert.Equal(value, box[key]);
        var wire = expected.SelectMany(p => new byte[] { 0, (byte)p.Key.Length }.Concat(Encoding.Latin1.GetBytes(p.Key))
            .Concat(new byte[] { 0, (byte)p.Value.Length }).Concat(p.Value)).Concat(new byte[] { 0, 0 }).ToArray();
        Assert.Equal(wire, box.Serialize());
        Assert.Equal(wire, box.Copy().Serialize());
        Assert.Equal(wire, AmpBox.ParseMany(wire).Single().Serialize());
    }
}
