using System.Numerics;
using System.Text;
using Twine.Protocols.Amp;

namespace Twine.Tests.Protocols.Amp;

/// <summary>
/// The encodings of AMP11, checked against what Twisted 22.4's argument types produce for the same values (the
/// expected bytes were printed by twisted.protocols.amp on Debian's python3).
/// </summary>
public sealed class AmpTypeTests
{
    private static string S(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    private static byte[] B(string wire) => AmpWire.Bytes(wire);

    [Theory]
    [InlineData(0L, "0")]
    [InlineData(-42L, "-42")]
    [InlineData(long.MaxValue, "9223372036854775807")]
    [InlineData(long.MinValue, "-9223372036854775808")]
    public void Integer_IsAsciiDecimal_AMP11(long value, string wire)
    {
        Assert.Equal(wire, S(AmpType.Integer.Encode(value)));
        Assert.Equal(value, AmpType.Integer.Decode(B(wire)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1.5")]
    [InlineData(" 1")]
    [InlineData("0x10")]
    [InlineData("9223372036854775808")]
    public void Integer_RefusesAnythingElse_AMP11(string wire)
    {
        Assert.Throws<FormatException>(() => AmpType.Integer.Decode(B(wire)));
    }

    [Fact]
    public void BigInteger_HasArbitraryPrecision_AMP11()
    {
        var value = -BigInteger.Pow(2, 70);
        Assert.Equal("-1180591620717411303424", S(AmpType.BigInteger.Encode(value)));
        Assert.Equal(value, AmpType.BigInteger.Decode(B("-1180591620717411303424")));
        Assert.Equal(new BigInteger(5), AmpType.BigInteger.Decode(B("+5")));
        Assert.Throws<FormatException>(() => AmpType.BigInteger.Decode(B("1e3")));
    }

    // AMP11, ParsingTests::test_booleanValues: exactly True/False, case-sensitive.
    [Fact]
    public void Boolean_IsExactlyTrueOrFalse_AMP11()
    {
        Assert.Equal("True", S(AmpType.Boolean.Encode(true)));
        Assert.Equal("False", S(AmpType.Boolean.Encode(false)));
        Assert.True(AmpType.Boolean.Decode(B("True")));
        Assert.False(AmpType.Boolean.Decode(B("False")));
        Assert.Throws<FormatException>(() => AmpType.Boolean.Decode(B("true")));
        Assert.Throws<FormatException>(() => AmpType.Boolean.Decode(B("1")));
        Assert.Throws<FormatException>(() => AmpType.Boolean.Decode([]));
    }

    [Fact]
    public void StringAndUnicode_AreRawBytesAndStrictUtf8_AMP11()
    {
        byte[] raw = [0, 0xFF, 0x80];
        Assert.Equal(raw, AmpType.String.Decode(AmpType.String.Encode(raw)));
        Assert.Equal(B(@"\xc3\xa9\xe2\x9c\x93"), AmpType.Unicode.Encode("é✓"));
        Assert.Equal("é✓", AmpType.Unicode.Decode(B(@"\xc3\xa9\xe2\x9c\x93")));
        Assert.Throws<FormatException>(() => AmpType.Unicode.Decode([0xC3]));
        Assert.Throws<ArgumentException>(() => AmpType.Unicode.Encode("\ud800"));
    }

    // AMP11, FloatTests::test_float: Python's repr, byte for byte.
    [Theory]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(1.0, "1.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(1.234, "1.234")]
    [InlineData(1e100, "1e+100")]
    [InlineData(1e-100, "1e-100")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(123456789012345678.0, "1.2345678901234568e+17")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(-2.5e-7, "-2.5e-07")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(100.0, "100.0")]
    [InlineData(1.0 / 3, "0.3333333333333333")]
    [InlineData(12345.678, "12345.678")]
    [InlineData(9999999999999998.0, "9999999999999998.0")]
    public void Float_IsPythonRepr_AMP11(double value, string wire)
    {
        Assert.Equal(wire, S(AmpType.Float.Encode(value)));
        Assert.Equal(value, AmpType.Float.Decode(B(wire)));
        Assert.Equal(double.IsNegative(value), double.IsNegative(AmpType.Float.Decode(B(wire))));
    }

    [Fact]
    public void Float_NaN_IsLowercaseNan_AndPythonSpellingsAreRead_AMP11()
    {
        Assert.Equal("nan", S(AmpType.Float.Encode(double.NaN)));
        Assert.True(double.IsNaN(AmpType.Float.Decode(B("nan"))));
        Assert.True(double.IsNaN(AmpType.Float.Decode(B("NaN"))));
        Assert.Equal(double.PositiveInfinity, AmpType.Float.Decode(B("Infinity")));
        Assert.Equal(double.NegativeInfinity, AmpType.Float.Decode(B("-INF")));
        Assert.Equal(1.5, AmpType.Float.Decode(B("+1.5")));
        Assert.Equal(1e10, AmpType.Float.Decode(B("1E10")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("∞")]
    [InlineData("1,5")]
    [InlineData("0x1p3")]
    [InlineData("--1")]
    [InlineData("1.2.3")]
    public void Float_RefusesWhatPythonRefuses_AMP11(string wire)
    {
        Assert.Throws<FormatException>(() => AmpType.Float.Decode(Encoding.UTF8.GetBytes(wire)));
    }

    // AMP11, DateTimeTests / UTCTests: 32 characters, zero offset written -00:00.
    [Fact]
    public void DateTime_IsTwistedsFormat_AMP11()
    {
        var utc = new DateTimeOffset(2012, 1, 23, 12, 34, 56, TimeSpan.Zero).AddTicks(543210);
        Assert.Equal("2012-01-23T12:34:56.054321-00:00", S(AmpType.DateTime.Encode(utc)));
        var india = new DateTimeOffset(2, 1, 1, 0, 0, 0, new TimeSpan(5, 30, 0));
        Assert.Equal("0002-01-01T00:00:00.000000+05:30", S(AmpType.DateTime.Encode(india)));
        var pacific = new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.FromHours(-8)).AddTicks(9999990);
        Assert.Equal("1969-12-31T23:59:59.999999-08:00", S(AmpType.DateTime.Encode(pacific)));

        foreach (var value in new[] { utc, india, pacific })
        {
            var back = AmpType.DateTime.Decode(AmpType.DateTime.Encode(value));
            Assert.Equal(value, back);
            Assert.Equal(value.Offset, back.Offset);
        }
    }

    [Theory]
    [InlineData("2012-01-23T12:34:56.054321-00:0")]
    [InlineData("2012-01-23T12:34:56.054321-00:000")]
    [InlineData("2012-01-23 12:34:56.054321-00:00")]
    [InlineData("2012-13-23T12:34:56.054321-00:00")]
    [InlineData("2012-01-23T12:34:56.05432a-00:00")]
    [InlineData("2012-01-23T12:34:56.054321*00:00")]
    [InlineData("2012-01-23T12:34:56.054321+15:00")]
    public void DateTime_RefusesMalformedText_AMP11(string wire)
    {
        Assert.Throws<FormatException>(() => AmpType.DateTime.Decode(B(wire)));
    }

    // AMP11, ListOf*Tests: each element with a 2-byte length; empty list, empty value.
    [Fact]
    public void ListOf_PrefixesEachElement_AMP11()
    {
        var ints = AmpType.ListOf(AmpType.Integer);
        Assert.Equal(B(@"\x00\x011\x00\x0220\x00\x03500"), ints.Encode([1, 20, 500]));
        Assert.Equal([1L, 20, 500], ints.Decode(B(@"\x00\x011\x00\x0220\x00\x03500")));
        Assert.Empty(ints.Encode([]));
        Assert.Empty(ints.Decode([]));

        var texts = AmpType.ListOf(AmpType.Unicode);
        Assert.Equal(["", "é", "x"], texts.Decode(texts.Encode(["", "é", "x"])));
    }

    [Theory]
    [InlineData(@"\x00")]
    [InlineData(@"\x00\x05abc")]
    [InlineData(@"\x00\x011\x00")]
    public void ListOf_RefusesTruncatedElements(string wire)
    {
        Assert.Throws<FormatException>(() => AmpType.ListOf(AmpType.Integer).Decode(B(wire)));
    }

    private sealed record Item(long A, string B);

    private static readonly AmpSchema<Item> ItemSchema = AmpSchema.Of(
        AmpType.Integer.Field("a", (Item i) => i.A),
        AmpType.Unicode.Field("b", (Item i) => i.B),
        (a, b) => new Item(a, b));

    // AMP11, test_ampListCommand: whole boxes back to back, each ending in \0\0.
    [Fact]
    public void AmpList_IsConcatenatedBoxes_AMP11()
    {
        var list = AmpType.AmpList(ItemSchema);
        var wire = @"\x00\x01a\x00\x017\x00\x01b\x00\x05hello\x00\x00\x00\x01a\x00\x019\x00\x01b\x00\x07goodbye\x00\x00";
        Assert.Equal(B(wire), list.Encode([new Item(7, "hello"), new Item(9, "goodbye")]));
        Assert.Equal([new Item(7, "hello"), new Item(9, "goodbye")], list.Decode(B(wire)));
        Assert.Empty(list.Decode([]));
        Assert.Throws<FormatException>(() => list.Decode(B(@"\x00\x01a\x00\x017")));
        Assert.Throws<AmpArgumentException>(() => list.Decode(B(@"\x00\x01a\x00\x017\x00\x00")));   // b missing
    }

    // Long values: the BigString convention (key, key.2, key.3, ...; 65535 bytes each).
    [Theory]
    [InlineData(0, 1)]
    [InlineData(65535, 1)]
    [InlineData(65536, 2)]
    [InlineData(3 * 65535 + 7, 4)]
    public void BigString_ChunksAt65535(int length, int keys)
    {
        var value = new byte[length];
        new Random(length).NextBytes(value);
        var box = new AmpBox();

        AmpType.BigString.Write(box, "data", value);

        Assert.Equal(keys, box.Count);
        Assert.Equal(Math.Min(length, 65535), box["data"].Length);
        if (keys > 1) Assert.Equal(Math.Min(65535, length - 65535), box["data.2"].Length);
        Assert.True(AmpType.BigString.TryRead(box, "data", out var back));
        Assert.Equal(value, back);
    }

    [Fact]
    public void BigUnicode_SplitsTheUtf8_EvenInsideACharacter()
    {
        var text = new string('é', 40000);   // 80000 bytes: the first chunk ends in the middle of a character
        var box = new AmpBox();
        AmpType.BigUnicode.Write(box, "t", text);
        Assert.Equal(2, box.Count);
        Assert.True(AmpType.BigUnicode.TryRead(box, "t", out var back));
        Assert.Equal(text, back);
        Assert.False(AmpType.BigUnicode.TryRead(new AmpBox(), "t", out _));
    }

    [Fact]
    public void PlainString_OverTheLimit_FailsAsTooLong_AMP2()
    {
        var box = new AmpBox();
        Assert.Throws<AmpTooLongException>(() => AmpType.String.Write(box, "data", new byte[65536]));
    }
}
