using System.Buffers.Binary;
using System.Text;

namespace Twine.Protocols.Amp;

// A received box starts in "wire form": its pairs stay in the one array the parser copied them into, and lookups
// compare keys against those bytes in place. Most boxes are read a handful of times (the reply tag, the command
// name, each argument once) and thrown away, so a string per key and an array per value would be pure garbage. The
// first operation that needs the general form (a value as a byte[], a mutation, enumeration, serializing) expands
// the box once into the key and value arrays, and from then on it is an ordinary box.
public sealed partial class AmpBox
{
    private byte[]? _wire;      // the pairs as received, without the terminator; null once expanded (or never received)
    private int _wireLength;
    private int _wirePairs;

    /// <summary>
    /// A box over <paramref name="length"/> bytes of serialized pairs (terminator excluded) that the caller hands over
    /// and never changes. The parser has checked the framing and the limits.
    /// </summary>
    internal static AmpBox FromWire(byte[] wire, int length, int pairs)
    {
        var box = new AmpBox { _wire = wire, _wireLength = length, _wirePairs = pairs };
        // Scanning is linear in the pairs: a box with many keys gets the indexed general form straight away.
        if (pairs > IndexThreshold) box.Expand();
        return box;
    }

    /// <summary>The value of <paramref name="key"/> without copying it, if the box holds it.</summary>
    internal bool TryGetSpan(string key, out ReadOnlySpan<byte> value)
    {
        if (_wire is not null) return TryWireValue(FindInWire(key), out value);
        var i = IndexOf(key);
        value = i >= 0 ? _values[i] : default;
        return i >= 0;
    }

    /// <summary>
    /// The value of a key given as bytes, without copying it. The memory stays valid as long as it is referenced: the
    /// box never writes to the array it read from, and a value replaced later is a new array.
    /// </summary>
    internal bool TryGetMemory(ReadOnlySpan<byte> key, out ReadOnlyMemory<byte> value)
    {
        if (_wire is not null)
        {
            var at = FindInWire(key);
            value = at >= 0 ? new ReadOnlyMemory<byte>(_wire, at, BinaryPrimitives.ReadUInt16BigEndian(_wire.AsSpan(at - 2))) : default;
            return at >= 0;
        }
        for (var i = _count - 1; i >= 0; i--)
        {
            if (Latin1Equals(_keys[i], key))
            {
                value = _values[i];
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>The index of <paramref name="key"/> in the general form, expanding a received box first.</summary>
    private int ExpandedIndexOf(string key)
    {
        Expand();
        return IndexOf(key);
    }

    private bool TryWireValue(int at, out ReadOnlySpan<byte> value)
    {
        value = at >= 0 ? _wire.AsSpan(at, BinaryPrimitives.ReadUInt16BigEndian(_wire.AsSpan(at - 2))) : default;
        return at >= 0;
    }

    /// <summary>Where the value of the last pair with this key starts (a repeated key replaces the earlier value, as in Twisted), or -1.</summary>
    private int FindInWire(string key)
    {
        var wire = _wire.AsSpan(0, _wireLength);
        var found = -1;
        for (var at = 0; at < wire.Length;)
        {
            int keyLength = BinaryPrimitives.ReadUInt16BigEndian(wire[at..]);
            var valueAt = at + 2 + keyLength + 2;
            if (keyLength == key.Length && Latin1Equals(key, wire.Slice(at + 2, keyLength))) found = valueAt;
            at = valueAt + BinaryPrimitives.ReadUInt16BigEndian(wire[(valueAt - 2)..]);
        }
        return found;
    }

    private int FindInWire(ReadOnlySpan<byte> key)
    {
        var wire = _wire.AsSpan(0, _wireLength);
        var found = -1;
        for (var at = 0; at < wire.Length;)
        {
            int keyLength = BinaryPrimitives.ReadUInt16BigEndian(wire[at..]);
            var valueAt = at + 2 + keyLength + 2;
            if (wire.Slice(at + 2, keyLength).SequenceEqual(key)) found = valueAt;
            at = valueAt + BinaryPrimitives.ReadUInt16BigEndian(wire[(valueAt - 2)..]);
        }
        return found;
    }

    /// <summary>Turns a received box into the general form: a string per key, an array per value.</summary>
    private void Expand()
    {
        if (_wire is not { } wireArray) return;
        var wire = wireArray.AsSpan(0, _wireLength);
        _wire = null;
        _keys = new string[Math.Max(4, _wirePairs)];
        _values = new byte[_keys.Length][];
        for (var at = 0; at < wire.Length;)
        {
            int keyLength = BinaryPrimitives.ReadUInt16BigEndian(wire[at..]);
            int valueLength = BinaryPrimitives.ReadUInt16BigEndian(wire[(at + 2 + keyLength)..]);
            Put(KeyString(wire.Slice(at + 2, keyLength)), wire.Slice(at + 4 + keyLength, valueLength).ToArray());
            at += 4 + keyLength + valueLength;
        }
    }

    /// <summary>A received key as a string: the reserved keys are shared instances.</summary>
    private static string KeyString(ReadOnlySpan<byte> key) => key.Length switch
    {
        4 when key.SequenceEqual("_ask"u8) => AmpKeys.Ask,
        6 when key.SequenceEqual("_error"u8) => AmpKeys.Error,
        7 when key.SequenceEqual("_answer"u8) => AmpKeys.Answer,
        8 when key.SequenceEqual("_command"u8) => AmpKeys.Command,
        11 when key.SequenceEqual("_error_code"u8) => AmpKeys.ErrorCode,
        18 when key.SequenceEqual("_error_description"u8) => AmpKeys.ErrorDescription,
        _ => Encoding.Latin1.GetString(key),
    };

    private static bool Latin1Equals(string text, ReadOnlySpan<byte> bytes)
    {
        if (text.Length != bytes.Length) return false;
        for (var i = 0; i < bytes.Length; i++)
            if (text[i] != bytes[i]) return false;
        return true;
    }
}
