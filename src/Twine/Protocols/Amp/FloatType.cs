using System.Globalization;
using System.Text;

namespace Twine.Protocols.Amp;

/// <summary>
/// Float as Python's <c>repr</c> writes a double (AMP11): the shortest digits that read back to the same double; plain
/// notation from 1e-4 up to 1e16 (always with a fractional part: <c>1.0</c>), scientific outside it with a signed,
/// at-least-two-digit exponent (<c>1e+100</c>, <c>1e-05</c>); <c>inf</c>, <c>-inf</c>, <c>nan</c>.
/// </summary>
/// <remarks>.NET's own text (<c>1E+100</c>, <c>∞</c>, <c>NaN</c>) is not what Python reads or writes, hence this type.</remarks>
internal sealed class FloatType : AmpType<double>
{
    public override string Name => "Float";

    public override byte[] Encode(double value) => Encoding.ASCII.GetBytes(Repr(value));

    internal override bool WritesDirectly => true;

    public override double Decode(ReadOnlySpan<byte> bytes)
    {
        // Python's float() also takes surrounding whitespace, any case of inf/infinity/nan and a leading +.
        var text = Encoding.ASCII.GetString(bytes.Trim(" \t\n\r\f\v"u8));
        var unsigned = text.StartsWith('-') || text.StartsWith('+') ? text[1..] : text;
        var negative = text.StartsWith('-');
        if (unsigned.Equals("inf", StringComparison.OrdinalIgnoreCase) || unsigned.Equals("infinity", StringComparison.OrdinalIgnoreCase))
            return negative ? double.NegativeInfinity : double.PositiveInfinity;
        if (unsigned.Equals("nan", StringComparison.OrdinalIgnoreCase)) return double.NaN;
        // Only digits, one point and an exponent: .NET would also accept "Infinity", "∞" and thousands separators.
        if (unsigned.Length == 0 || unsigned[0] is '+' or '-' || unsigned.AsSpan().ContainsAnyExcept("0123456789.eE+-")
            || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw new FormatException($"Bad Float value {AmpText.Quote(bytes)}: expected a number as Python's float() reads it.");
        return value;
    }

    /// <summary>Python's <c>repr(float)</c>.</summary>
    public static string Repr(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsPositiveInfinity(value)) return "inf";
        if (double.IsNegativeInfinity(value)) return "-inf";

        // "R" gives the shortest round-trip digits; only the layout differs from Python's.
        var r = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = r.StartsWith('-');
        if (negative) r = r[1..];
        var e = r.IndexOf('E');
        var exponent = e < 0 ? 0 : int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? r : r[..e];
        var point = mantissa.IndexOf('.');
        var digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        // The value is 0.<digits> × 10^decimalPoint.
        var decimalPoint = (point < 0 ? mantissa.Length : point) + exponent;
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        decimalPoint -= leadingZeros;
        if (digits.Length == 0)
        {
            digits = "0";
            decimalPoint = 1;
        }

        var sb = new StringBuilder(24);
        if (negative) sb.Append('-');
        if (decimalPoint is > -4 and <= 16)
        {
            if (decimalPoint <= 0) sb.Append("0.").Append('0', -decimalPoint).Append(digits);
            else if (decimalPoint >= digits.Length) sb.Append(digits).Append('0', decimalPoint - digits.Length).Append(".0");
            else sb.Append(digits, 0, decimalPoint).Append('.').Append(digits, decimalPoint, digits.Length - decimalPoint);
        }
        else
        {
            sb.Append(digits[0]);
            if (digits.Length > 1) sb.Append('.').Append(digits, 1, digits.Length - 1);
            var shown = decimalPoint - 1;
            sb.Append('e').Append(shown < 0 ? '-' : '+').Append(Math.Abs(shown).ToString("00", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
