using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Twine.Protocols.Amp;

/// <summary>
/// One AMP message: a set of byte-string keys mapped to byte-string values, after Twisted's <c>AmpBox</c> (AMP1).
/// On the wire each key and each value is a 2-byte big-endian length and the bytes; an empty key ends the box.
/// </summary>
/// <remarks>
/// <para>Keys are byte strings held as .NET strings whose characters are the bytes (Latin-1): every key received
/// round-trips exactly, and the usual ASCII names read naturally. A key must be 1 to 255 bytes and a value at most
/// 65535; <see cref="Set(string, byte[])"/> refuses anything longer with <see cref="AmpTooLongException"/>, so a box
/// that exists can always be sent (AMP2).</para>
/// <para><see cref="Serialize"/> writes the keys sorted bytewise, as Twisted does, so equal boxes give equal bytes.</para>
/// </remarks>
/// <example>
/// <code>
/// var box = new AmpBox { ["_command"] = "Sum"u8.ToArray(), ["a"] = "1"u8.ToArray() };
/// byte[] wire = box.Serialize();   // 00 01 'a' 00 01 '1' 00 08 "_command" 00 03 "Sum" 00 00
/// </code>
/// </example>
public sealed partial class AmpBox
{
    /// <summary>The longest key, in bytes (AMP1).</summary>
    public const int MaxKeyLength = 255;

    /// <summary>The longest value, in bytes (AMP1).</summary>
    public const int MaxValueLength = 65535;

    // Boxes are small (a command, its tag, a few arguments): parallel arrays searched linearly beat a hash table and
    // cost two allocations. Past IndexThreshold keys (a long BigString, a hostile peer) an index keeps lookups O(1).
    private const int IndexThreshold = 16;

    private string[] _keys;
    private byte[][] _values;
    private int _count;
    private Dictionary<string, int>? _index;

    /// <summary>Creates an empty box.</summary>
    public AmpBox()
    {
        _keys = [];
        _values = [];
    }

    /// <summary>How many keys the box holds.</summary>
    public int Count
    {
        get
        {
            Expand();
            return _count;
        }
    }

    /// <summary>The keys, in no particular order.</summary>
    public IEnumerable<string> Keys
    {
        get
        {
            Expand();
            return _keys.Take(_count);
        }
    }

    /// <summary>Gets or sets the value of <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">Getting a key the box does not hold.</exception>
    /// <exception cref="AmpTooLongException">Setting a key or value longer than the wire format allows.</exception>
    public byte[] this[string key]
    {
        get => ExpandedIndexOf(key) is var i and >= 0
            ? _values[i]
            : throw new KeyNotFoundException($"The AMP box has no key '{key}'.");
        set => Set(key, value);
    }

    /// <summary>Whether the box holds <paramref name="key"/>.</summary>
    public bool ContainsKey(string key) => _wire is not null ? FindInWire(key) >= 0 : IndexOf(key) >= 0;

    /// <summary>Gets the value of <paramref name="key"/> if the box holds it.</summary>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out byte[] value)
    {
        var i = ExpandedIndexOf(key);
        value = i >= 0 ? _values[i] : null;
        return i >= 0;
    }

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/> (the array is kept, not copied).</summary>
    /// <exception cref="AmpTooLongException">The key is longer than 255 bytes or the value longer than 65535 (AMP2).</exception>
    /// <exception cref="ArgumentException">The key is empty or has a character above U+00FF (keys are bytes).</exception>
    public void Set(string key, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        CheckKey(key);
        if (value.Length > MaxValueLength) throw new AmpTooLongException(isKey: false, isLocal: true, value.Length, key);
        Expand();
        Put(key, value);
    }

    /// <summary>Sets <paramref name="key"/> to the UTF-8 bytes of <paramref name="text"/>.</summary>
    public void Set(string key, string text) => Set(key, Encoding.UTF8.GetBytes(text));

    /// <summary>Removes <paramref name="key"/>; returns whether it was there.</summary>
    public bool Remove(string key)
    {
        var i = ExpandedIndexOf(key);
        if (i < 0) return false;
        // Order carries no meaning (serializing sorts), so the last pair fills the hole.
        var last = --_count;
        _index?.Remove(key);
        if (i != last)
        {
            _keys[i] = _keys[last];
            _values[i] = _values[last];
            if (_index is not null) _index[_keys[i]] = i;
        }
        _keys[last] = null!;
        _values[last] = null!;
        return true;
    }

    /// <summary>A shallow copy: the same values under the same keys.</summary>
    public AmpBox Copy()
    {
        // The received bytes are never written to, so a copy may share them.
        if (_wire is not null) return FromWire(_wire, _wireLength, _wirePairs);
        var copy = new AmpBox();
        for (var i = 0; i < _count; i++) copy.Put(_keys[i], _values[i]);
        return copy;
    }

    /// <summary>The value of <paramref name="key"/> decoded as UTF-8, or null when the box does not hold it.</summary>
    public string? GetText(string key) => TryGetSpan(key, out var value) ? Encoding.UTF8.GetString(value) : null;

    /// <summary>The number of bytes <see cref="Serialize"/> produces, terminator included.</summary>
    public int SerializedLength
    {
        get
        {
            Expand();
            var length = 2;
            for (var i = 0; i < _count; i++) length += 4 + _keys[i].Length + _values[i].Length;
            return length;
        }
    }

    /// <summary>The box on the wire: each pair with its length prefixes, keys sorted bytewise, then the empty key.</summary>
    public byte[] Serialize()
    {
        var bytes = new byte[SerializedLength];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Writes the serialized box to <paramref name="destination"/>, which must hold <see cref="SerializedLength"/> bytes; returns the count written.</summary>
    public int WriteTo(Span<byte> destination)
    {
        Expand();
        // Ordinal order of Latin-1 characters is bytewise order of the keys, which is how Twisted sorts them.
        Span<int> order = _count <= 64 ? stackalloc int[_count] : new int[_count];
        for (var i = 0; i < _count; i++) order[i] = i;
        if (_count <= 64)
        {
            // Insertion sort: a handful of keys, no allocation, no comparer delegate.
            for (var i = 1; i < order.Length; i++)
            {
                var current = order[i];
                var j = i - 1;
                for (; j >= 0 && string.CompareOrdinal(_keys[order[j]], _keys[current]) > 0; j--) order[j + 1] = order[j];
                order[j + 1] = current;
            }
        }
        else
        {
            var keys = _keys;
            order.Sort((a, b) => string.CompareOrdinal(keys[a], keys[b]));
        }

        var at = 0;
        foreach (var i in order)
        {
            var key = _keys[i];
            var value = _values[i];
            BinaryPrimitives.WriteUInt16BigEndian(destination[at..], (ushort)key.Length);
            at += 2;
            at += Encoding.Latin1.GetBytes(key, destination[at..]);
            BinaryPrimitives.WriteUInt16BigEndian(destination[at..], (ushort)value.Length);
            at += 2;
            value.CopyTo(destination[at..]);
            at += value.Length;
        }
        destination[at++] = 0;
        destination[at++] = 0;
        return at;
    }

    private int IndexOf(string key)
    {
        if (_index is not null) return _index.TryGetValue(key, out var found) ? found : -1;
        for (var i = 0; i < _count; i++)
            if (string.Equals(_keys[i], key)) return i;
        return -1;
    }

    private void Put(string key, byte[] value)
    {
        var i = IndexOf(key);
        if (i >= 0)
        {
            _values[i] = value;
            return;
        }
        if (_count == _keys.Length)
        {
            var capacity = Math.Max(4, _count * 2);
            Array.Resize(ref _keys, capacity);
            Array.Resize(ref _values, capacity);
        }
        _keys[_count] = key;
        _values[_count] = value;
        _index?.Add(key, _count);
        _count++;
        if (_index is null && _count > IndexThreshold)
        {
            _index = new Dictionary<string, int>(_count * 2, StringComparer.Ordinal);
            for (var k = 0; k < _count; k++) _index[_keys[k]] = k;
        }
    }

    /// <summary>
    /// Parses a run of complete serialized boxes, as an <c>AmpList</c> value holds them (AMP11). Unlike a connection,
    /// this input is complete, so a truncated box is an error.
    /// </summary>
    /// <exception cref="AmpProtocolException">The bytes are not a sequence of whole, well-formed boxes.</exception>
    public static List<AmpBox> ParseMany(ReadOnlySpan<byte> bytes, int maxBoxLength = int.MaxValue)
    {
        var boxes = new List<AmpBox>();
        var parser = new AmpBoxParser(maxBoxLength);
        var consumed = 0;
        while (consumed < bytes.Length)
        {
            var used = parser.Parse(bytes[consumed..], out var box);
            consumed += used;
            if (box is null) throw new AmpProtocolException($"Truncated AMP box: {bytes.Length} bytes end inside a box.");
            boxes.Add(box);
        }
        return boxes;
    }

    /// <summary>The keys and values, for diagnostics: <c>{a: "1", _command: "Sum"}</c>.</summary>
    public override string ToString()
    {
        Expand();
        var keys = Keys.Order(StringComparer.Ordinal);
        return "{" + string.Join(", ", keys.Select(k => $"{k}: {Describe(this[k])}")) + "}";
    }

    private static string Describe(byte[] value) =>
        value.Length > 40 ? $"<{value.Length} bytes>" : "\"" + Encoding.Latin1.GetString(value) + "\"";

    private static void CheckKey(string key)
    {
        if (key.Length == 0) throw new ArgumentException("An AMP key cannot be empty: the empty key ends a box.", nameof(key));
        if (key.Length > MaxKeyLength) throw new AmpTooLongException(isKey: true, isLocal: true, key.Length, key);
        foreach (var c in key)
        {
            if (c > '\u00FF')
                throw new ArgumentException($"AMP keys are byte strings; '{key}' has the character U+{(int)c:X4}.", nameof(key));
        }
    }
}
