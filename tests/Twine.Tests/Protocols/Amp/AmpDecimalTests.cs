using System.Numerics;
using System.Text;
using Twine.Protocols.Amp;

namespace Twine.Tests.Protocols.Amp;

/// <summary>AMP11 (DecimalTests, ListOfDecimalTests, ListOfDecimalNanTests): Python's str(Decimal), as Twisted sends it.</summary>
public sealed class AmpDecimalTests
{
    // Input as Python's Decimal() reads it, and str() of the result (printed by Python 3.11).
    [Theory]
    [InlineData("1", "1")]
    [InlineData("-1", "-1")]
    [InlineData("1.0", "1.0")]
    [InlineData("10", "10")]
    [InlineData("1E+2", "1E+2")]
    [InlineData("1E-1", "0.1")]
    [InlineData("1.5E+2", "1.5E+2")]
    [InlineData("0.000001", "0.000001")]
    [InlineData("0.0000001", "1E-7")]
    [InlineData("-0", "-0")]
    [InlineData("0E-10", "0E-10")]
    [InlineData("123.456E+10", "1.23456E+12")]
    [InlineData("Infinity", "Infinity")]
    [InlineData("-Infinity", "-Infinity")]
    [InlineData("NaN", "NaN")]
    [InlineData("-NaN", "-NaN")]
    [InlineData("sNaN", "sNaN")]
    [InlineData("-sNaN", "-sNaN")]
    [InlineData("NaN123", "NaN123")]
    [InlineData("1e5", "1E+5")]
    [InlineData("-12.50", "-12.50")]
    [InlineData("0.00", "0.00")]
    [InlineData("1E+0", "1")]
    [InlineData("100E-2", "1.00")]
    [InlineData("inf", "Infinity")]
    [InlineData(".5", "0.5")]
    [InlineData("5.", "5")]
    public void ToString_IsPythonsStr_AMP11(string input, string expected)
    {
        var value = AmpDecimal.Parse(input);
        Assert.Equal(expected, value.ToString());
        Assert.Equal(expected, Encoding.ASCII.GetString(AmpType.Decimal.Encode(value)));
        Assert.Equal(value, AmpType.Decimal.Decode(Encoding.ASCII.GetBytes(expected)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("--1")]
    [InlineData("1,0")]
    [InlineData("NaNx")]
    [InlineData("Infinit")]
    [InlineData("0x10")]
    public void Parse_RefusesWhatPythonRefuses_AMP11(string input)
    {
        Assert.False(AmpDecimal.TryParse(input, out _));
        Assert.Throws<FormatException>(() => AmpType.Decimal.Decode(Encoding.ASCII.GetBytes(input)));
    }

    [Fact]
    public void SystemDecimal_ConvertsBothWays_KeepingTheScale()
    {
        AmpDecimal price = 12.50m;
        Assert.Equal("12.50", price.ToString());
        Assert.Equal(12.50m, (decimal)price);
        Assert.Equal(2, ((decimal)price).Scale);
        Assert.Equal(-79228162514264337593543950335m, (decimal)(AmpDecimal)decimal.MinValue);
        Assert.Equal(100m, (decimal)AmpDecimal.Parse("1E+2"));
        Assert.Throws<OverflowException>(() => (decimal)AmpDecimal.NaN);
        Assert.Throws<OverflowException>(() => (decimal)AmpDecimal.Parse("1E+40"));
        Assert.Throws<OverflowException>(() => (decimal)AmpDecimal.Parse("1E-40"));
    }

    [Fact]
    public void Finite_BuildsFromParts()
    {
        Assert.Equal("-1.5E+3", AmpDecimal.Finite(true, 15, 2).ToString());
        Assert.Equal(DecimalKind.Finite, AmpDecimal.Finite(false, BigInteger.One, 0).Kind);
        Assert.Throws<ArgumentOutOfRangeException>(() => AmpDecimal.Finite(false, -1, 0));
    }
}
