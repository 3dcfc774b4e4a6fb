using System.Globalization;
using System.Numerics;
using System.Text;

namespace Twine.Protocols.Amp;

/// <summary>
/// A decimal number as Python's <c>decimal.Decimal</c> holds it: a sign, an integer coefficient and a power-of-ten
/// exponent, or Infinity, NaN or signalling NaN. It keeps precision (<c>1.0</c> is not <c>1</c>) and is what AMP's
/// Decimal type carries (AMP11). Converts to and from <see cref="decimal"/> where the value fits.
/// </summary>
/// <remarks>
/// <see cref="ToString"/> is Python's <c>str(Decimal)</c> (the "to-scientific-string" of the General Decimal
/// Arithmetic specification) and <see cref="Parse"/> reads what <c>Decimal(str)</c> reads. Equality compares the
/// representation, so <c>1.0</c> and <c>1.00</c> differ, as their wire forms do.
/// </remarks>
/// <example>
/// <code>
/// AmpDecimal price = 12.50m;                     // from System.Decimal; ToString() is "12.50"
/// AmpDecimal big = AmpDecimal.Parse("1E+2");     // 100 with one significant digit
/// decimal back = (decimal)price;                 // 12.50m
/// </code>
/// </example>
public readonly record struct AmpDecimal
{
    private AmpDecimal(DecimalKind kind, bool negative, BigInteger coefficient, int exponent)
    {
        Kind = kind;
        IsNegative = negative;
        Coefficient = coefficient;
        Exponent = exponent;
    }

    /// <summary>Finite, infinite, or one of the NaNs.</summary>
    public DecimalKind Kind { get; }

    /// <summary>The sign (negative zero and negative NaN exist, as in Python).</summary>
    public bool IsNegative { get; }

    /// <summary>The non-negative integer coefficient (a NaN's diagnostic payload; zero for Infinity).</summary>
    public BigInteger Coefficient { get; }

    /// <summary>The power of ten the coefficient is multiplied by (zero for the special values).</summary>
    public int Exponent { get; }

    /// <summary>Positive infinity, <c>Infinity</c>.</summary>
    public static AmpDecimal PositiveInfinity => new(DecimalKind.Infinity, false, BigInteger.Zero, 0);

    /// <summary>Negative infinity, <c>-Infinity</c>.</summary>
    public static AmpDecimal NegativeInfinity => new(DecimalKind.Infinity, true, BigInteger.Zero, 0);

    /// <summary>A quiet NaN, <c>NaN</c>.</summary>
    public static AmpDecimal NaN => new(DecimalKind.NaN, false, BigInteger.Zero, 0);

    /// <summary>A signalling NaN, <c>sNaN</c>.</summary>
    public static AmpDecimal SignalingNaN => new(DecimalKind.SignalingNaN, false, BigInteger.Zero, 0);

    /// <summary>The finite value (-1)^<paramref name="negative"/> × <paramref name="coefficient"/> × 10^<paramref name="exponent"/>.</summary>
    public static AmpDecimal Finite(bool negative, BigInteger coefficient, int exponent)
    {
        if (coefficient.Sign < 0) throw new ArgumentOutOfRangeException(nameof(coefficient), "The coefficient is the magnitude; give the sign separately.");
        return new(DecimalKind.Finite, negative, coefficient, exponent);
    }

    /// <summary>The exact value of <paramref name="value"/>, scale included (<c>1.50m</c> becomes <c>1.50</c>).</summary>
    public static implicit operator AmpDecimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var magnitude = ((BigInteger)(uint)bits[2] << 64) | ((BigInteger)(uint)bits[1] << 32) | (uint)bits[0];
        var scale = (bits[3] >> 16) & 0xFF;
        return new(DecimalKind.Finite, bits[3] < 0, magnitude, -scale);
    }

    /// <summary>The value as a <see cref="decimal"/>, scale kept.</summary>
    /// <exception cref="OverflowException">A special value, or a value System.Decimal cannot hold exactly.</exception>
    public static explicit operator decimal(AmpDecimal value)
    {
        if (value.Kind != DecimalKind.Finite) throw new OverflowException($"{value} has no System.Decimal equivalent.");
        var coefficient = value.Coefficient;
        var exponent = value.Exponent;
        if (exponent > 0)
        {
            coefficient *= BigInteger.Pow(10, exponent);
            exponent = 0;
        }
        if (-exponent > 28 || coefficient.GetBitLength() > 96) throw new OverflowException($"{value} does not fit System.Decimal exactly.");
        var bytes = new byte[12];
        coefficient.TryWriteBytes(bytes, out _, isUnsigned: true);
        return new decimal(BitConverter.ToInt32(bytes, 0), BitConverter.ToInt32(bytes, 4), BitConverter.ToInt32(bytes, 8), value.IsNegative, (byte)-exponent);
    }

    /// <summary>Python's <c>str(Decimal)</c>: <c>1.0</c>, <c>1E+2</c>, <c>-0.000001</c>, <c>1E-7</c>, <c>Infinity</c>, <c>-NaN</c>, <c>sNaN</c>.</summary>
    public override string ToString()
    {
        var sign = IsNegative ? "-" : "";
        switch (Kind)
        {
            case DecimalKind.Infinity: return sign + "Infinity";
            case DecimalKind.NaN: return sign + "NaN" + Payload();
            case DecimalKind.SignalingNaN: return sign + "sNaN" + Payload();
        }
        var digits = Coefficient.ToString(CultureInfo.InvariantCulture);
        // Where the point falls relative to the first digit; plain notation only for exponent <= 0 and not too small.
        long leftDigits = (long)Exponent + digits.Length;
        long dotPlace = Exponent <= 0 && leftDigits > -6 ? leftDigits : 1;
        var sb = new StringBuilder(sign, digits.Length + 16);
        if (dotPlace <= 0) sb.Append("0.").Append('0', (int)-dotPlace).Append(digits);
        else if (dotPlace >= digits.Length) sb.Append(digits).Append('0', (int)(dotPlace - digits.Length));
        else sb.Append(digits, 0, (int)dotPlace).Append('.').Append(digits, (int)dotPlace, digits.Length - (int)dotPlace);
        if (leftDigits != dotPlace)
        {
            var shown = leftDigits - dotPlace;
            sb.Append('E').Append(shown < 0 ? '-' : '+').Append(Math.Abs(shown).ToString(CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private string Payload() => Coefficient.IsZero ? "" : Coefficient.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads what Python's <c>Decimal(str)</c> reads: sign, digits with an optional point and exponent, or Inf/Infinity/NaN/sNaN in any case.</summary>
    /// <exception cref="FormatException">Anything else.</exception>
    public static AmpDecimal Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var value) ? value : throw new FormatException($"'{text}' is not a decimal number.");
    }

    /// <summary>Parses like <see cref="Parse"/>; false instead of an exception.</summary>
    public static bool TryParse(string text, out AmpDecimal value)
    {
        value = default;
        var s = text.AsSpan().Trim();
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s.Equals("inf", StringComparison.OrdinalIgnoreCase) || s.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = new(DecimalKind.Infinity, negative, BigInteger.Zero, 0);
            return true;
        }
        if (s.StartsWith("snan", StringComparison.OrdinalIgnoreCase) || s.StartsWith("nan", StringComparison.OrdinalIgnoreCase))
        {
            var signaling = s[0] is 's' or 'S';
            var payload = s[(signaling ? 4 : 3)..];
            if (payload.ContainsAnyExceptInRange('0', '9')) return false;
            var coefficient = payload.IsEmpty ? BigInteger.Zero : BigInteger.Parse(payload, NumberStyles.None, CultureInfo.InvariantCulture);
            value = new(signaling ? DecimalKind.SignalingNaN : DecimalKind.NaN, negative, coefficient, 0);
            return true;
        }

        var e = s.IndexOfAny('e', 'E');
        var mantissa = e < 0 ? s : s[..e];
        var exponent = 0L;
        if (e >= 0)
        {
            var exponentText = s[(e + 1)..];
            var unsignedExponent = exponentText.Length > 0 && exponentText[0] is '+' or '-' ? exponentText[1..] : exponentText;
            if (unsignedExponent.IsEmpty || unsignedExponent.ContainsAnyExceptInRange('0', '9')
                || !long.TryParse(exponentText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent))
                return false;
        }
        var point = mantissa.IndexOf('.');
        var whole = point < 0 ? mantissa : mantissa[..point];
        var fraction = point < 0 ? [] : mantissa[(point + 1)..];
        if (whole.Length + fraction.Length == 0 || whole.ContainsAnyExceptInRange('0', '9') || fraction.ContainsAnyExceptInRange('0', '9'))
            return false;
        var adjusted = exponent - fraction.Length;
        if (adjusted is < int.MinValue or > int.MaxValue) return false;
        var all = string.Concat(whole, fraction);
        value = new(DecimalKind.Finite, negative, BigInteger.Parse(all, NumberStyles.None, CultureInfo.InvariantCulture), (int)adjusted);
        return true;
    }
}

/// <summary>What an <see cref="AmpDecimal"/> is.</summary>
/// <example>
/// <code>
/// if (AmpDecimal.Parse("-Infinity").Kind == DecimalKind.Infinity) { /* no System.Decimal for this one */ }
/// </code>
/// </example>
public enum DecimalKind
{
    /// <summary>A number.</summary>
    Finite,

    /// <summary>Infinity (positive or negative).</summary>
    Infinity,

    /// <summary>A quiet NaN.</summary>
    NaN,

    /// <summary>A signalling NaN.</summary>
    SignalingNaN,
}
