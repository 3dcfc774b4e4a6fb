using System.Globalization;

namespace Twine.Protocols.Amp;

/// <summary>
/// <see cref="AmpType.Descriptor"/>: a file descriptor passed beside the box (SCM_RIGHTS); the box carries its
/// ordinal as an Integer, exactly as Twisted's <c>Descriptor</c> (AMP12).
/// </summary>
internal sealed class DescriptorType : AmpType<int>
{
    public override string Name => "Descriptor";

    public override byte[] Encode(int value)
    {
        var protocol = AmpProtocol.CurrentCodec
            ?? throw new ArgumentException("a Descriptor can only be encoded by an AmpProtocol sending a box");
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        return AmpType.Integer.Encode(protocol.SendDescriptor(value));
    }

    internal override bool WritesDirectly => true;

    public override int Decode(ReadOnlySpan<byte> bytes)
    {
        var protocol = AmpProtocol.CurrentCodec
            ?? throw new FormatException("a Descriptor can only be decoded by an AmpProtocol reading a box");
        return protocol.TakeDescriptor(AmpType.Integer.Decode(bytes));
    }

    public override string ToString() => Name;
}
