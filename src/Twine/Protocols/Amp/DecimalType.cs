using System.Text;

namespace Twine.Protocols.Amp;

/// <summary>Decimal: Python's <c>str(Decimal)</c> in ASCII (AMP11).</summary>
internal sealed class DecimalType : AmpType<AmpDecimal>
{
    public override string Name => "Decimal";

    public override byte[] Encode(AmpDecimal value) => Encoding.ASCII.GetBytes(value.ToString());

    internal override bool WritesDirectly => true;

    public override AmpDecimal Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E) || !AmpDecimal.TryParse(Encoding.ASCII.GetString(bytes), out var value))
            throw new FormatException($"Bad Decimal value {AmpText.Quote(bytes)}: expected a number as Python's Decimal() reads it.");
        return value;
    }
}
