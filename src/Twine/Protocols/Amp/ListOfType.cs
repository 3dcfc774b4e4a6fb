using System.Buffers.Binary;

namespace Twine.Protocols.Amp;

/// <summary>
/// ListOf: each element's encoding with a 2-byte big-endian length in front, concatenated; an empty list is an empty
/// value (AMP11). The whole list is one value, so it too must fit in 65535 bytes.
/// </summary>
internal sealed class ListOfType<T>(AmpType<T> element) : AmpType<IReadOnlyList<T>>
{
    public override string Name => $"ListOf({element.Name})";

    public override byte[] Encode(IReadOnlyList<T> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var parts = new byte[value.Count][];
        var total = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            var part = element.Encode(value[i]);
            if (part.Length > AmpBox.MaxValueLength) throw new AmpTooLongException(isKey: false, isLocal: true, part.Length, keyName: null);
            parts[i] = part;
            total += 2 + part.Length;
        }
        var bytes = new byte[total];
        var at = 0;
        foreach (var part in parts)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(at), (ushort)part.Length);
            part.CopyTo(bytes, at + 2);
            at += 2 + part.Length;
        }
        return bytes;
    }

    internal override bool WritesDirectly => true;

    public override IReadOnlyList<T> Decode(ReadOnlySpan<byte> bytes)
    {
        var items = new List<T>();
        while (!bytes.IsEmpty)
        {
            if (bytes.Length < 2) throw new FormatException($"Bad {Name} value: it ends inside an element's length prefix.");
            int length = BinaryPrimitives.ReadUInt16BigEndian(bytes);
            if (bytes.Length < 2 + length)
                throw new FormatException($"Bad {Name} value: an element announces {length} bytes but only {bytes.Length - 2} follow.");
            items.Add(element.Decode(bytes.Slice(2, length)));
            bytes = bytes[(2 + length)..];
        }
        return items;
    }
}
