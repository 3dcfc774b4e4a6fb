using System.Globalization;
using System.Numerics;
using System.Text;

namespace Twine.Protocols.Amp;

// The one-line encodings of AMP11: Integer, String, Unicode, Boolean. Each is a stateless singleton on AmpType.

/// <summary>Integer as a long: ASCII decimal with an optional sign.</summary>
internal sealed class IntegerType : AmpType<long>
{
    public override string Name => "Integer";

    public override byte[] Encode(long value)
    {
        Span<byte> digits = stackalloc byte[20];
        value.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
        return digits[..written].ToArray();
    }

    internal override bool WritesDirectly => true;

    internal override void EncodeInto(long value, ref AmpBoxWriter writer, ReadOnlySpan<byte> key)
    {
        var destination = writer.Begin(key, 20);
        value.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture);
        writer.End(written);
    }

    public override long Decode(ReadOnlySpan<byte> bytes)
    {
        AmpText.RequireInteger(bytes, Name);
        if (!long.TryParse(bytes, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw new FormatException($"{AmpText.Quote(bytes)} does not fit a 64-bit Integer; declare the field as AmpType.BigInteger.");
        return value;
    }
}

/// <summary>Integer of any size, as Python's int.</summary>
internal sealed class BigIntegerType : AmpType<BigInteger>
{
    public override string Name => "Integer";

    public override byte[] Encode(BigInteger value) => Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));

    internal override bool WritesDirectly => true;

    public override BigInteger Decode(ReadOnlySpan<byte> bytes)
    {
        AmpText.RequireInteger(bytes, Name);
        return System.Numerics.BigInteger.Parse(Encoding.ASCII.GetString(bytes), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    }
}

/// <summary>String: the bytes as they are.</summary>
internal sealed class BytesType : AmpType<byte[]>
{
    public override string Name => "String";

    public override byte[] Encode(byte[] value) => value;

    internal override bool WritesDirectly => true;

    public override byte[] Decode(ReadOnlySpan<byte> bytes) => bytes.ToArray();
}

/// <summary>Unicode: strict UTF-8 both ways, as Python's encode/decode are.</summary>
internal sealed class UnicodeType : AmpType<string>
{
    public override string Name => "Unicode";

    public override byte[] Encode(string value) => AmpText.Encode(value);

    public override string Decode(ReadOnlySpan<byte> bytes) => AmpText.Decode(bytes);

    internal override bool WritesDirectly => true;

    internal override void EncodeInto(string value, ref AmpBoxWriter writer, ReadOnlySpan<byte> key)
    {
        var destination = writer.Begin(key, Encoding.UTF8.GetMaxByteCount(value.Length));
        writer.End(AmpText.EncodeInto(value, destination));
    }
}

/// <summary>Boolean: exactly True or False, case-sensitive.</summary>
internal sealed class BooleanType : AmpType<bool>
{
    private static readonly byte[] True = "True"u8.ToArray();
    private static readonly byte[] False = "False"u8.ToArray();

    public override string Name => "Boolean";

    // The shared arrays are safe to hand out: boxes only read values.
    public override byte[] Encode(bool value) => value ? True : False;

    internal override bool WritesDirectly => true;

    public override bool Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.SequenceEqual(True)) return true;
        if (bytes.SequenceEqual(False)) return false;
        throw new FormatException($"Bad Boolean value {AmpText.Quote(bytes)}: expected exactly True or False.");
    }
}

/// <summary>T? over T: the field's optional flag decides what a null means.</summary>
internal sealed class NullableType<T>(AmpType<T> inner) : AmpType<T?> where T : struct
{
    public override string Name => inner.Name;

    public override byte[] Encode(T? value) =>
        value is { } v ? inner.Encode(v) : throw new ArgumentException($"A null {Name} cannot be encoded; declare the field optional.");

    public override T? Decode(ReadOnlySpan<byte> bytes) => inner.Decode(bytes);

    internal override bool WritesDirectly => inner.WritesDirectly;

    internal override void EncodeInto(T? value, ref AmpBoxWriter writer, ReadOnlySpan<byte> key)
    {
        if (value is not { } v) throw new ArgumentException($"A null {Name} cannot be encoded; declare the field optional.");
        inner.EncodeInto(v, ref writer, key);
    }

    public override void Write(AmpBox box, string key, T? value)
    {
        if (value is not { } v) throw new ArgumentException($"A null {Name} cannot be encoded; declare the field optional.");
        inner.Write(box, key, v);
    }

    public override bool TryRead(AmpBox box, string key, out T? value)
    {
        var found = inner.TryRead(box, key, out var v);
        value = found ? v : null;
        return found;
    }
}

/// <summary>Text helpers shared by the types: strict UTF-8 and short quotes of bad input for error messages.</summary>
internal static class AmpText
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] Encode(string text)
    {
        try
        {
            return Strict.GetBytes(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"The text cannot be encoded as UTF-8: {e.Message}", e);
        }
    }

    /// <summary>Strict UTF-8 into <paramref name="destination"/>, which holds at least the maximum byte count; returns the bytes written.</summary>
    public static int EncodeInto(string text, Span<byte> destination)
    {
        try
        {
            return Strict.GetBytes(text, destination);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"The text cannot be encoded as UTF-8: {e.Message}", e);
        }
    }

    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return Strict.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new FormatException($"The bytes are not valid UTF-8: {e.Message}", e);
        }
    }

    /// <summary>Optional sign, then at least one ASCII digit, nothing else.</summary>
    public static void RequireInteger(ReadOnlySpan<byte> bytes, string typeName)
    {
        var digits = bytes.Length > 0 && (bytes[0] == '-' || bytes[0] == '+') ? bytes[1..] : bytes;
        if (digits.IsEmpty || digits.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
            throw new FormatException($"Bad {typeName} value {Quote(bytes)}: expected an optional sign and decimal digits.");
    }

    /// <summary>Python's <c>repr</c> of bytes (<c>b'Sum'</c>), cut after <paramref name="limit"/> bytes for error messages.</summary>
    public static string Quote(ReadOnlySpan<byte> bytes, int limit = 40)
    {
        var shown = bytes.Length > limit ? bytes[..limit] : bytes;
        var sb = new StringBuilder("b'");
        foreach (var b in shown)
        {
            if (b is >= 0x20 and < 0x7F && b != '\'' && b != '\\') sb.Append((char)b);
            else sb.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
        }
        sb.Append('\'');
        if (bytes.Length > shown.Length) sb.Append(CultureInfo.InvariantCulture, $"… ({bytes.Length} bytes)");
        return sb.ToString();
    }
}
