using System.Text.Unicode;

namespace Twine.Web.WebSockets;

/// <summary>
/// Incremental UTF-8 validation for text messages that arrive in pieces: <see cref="Feed"/> says false at the first
/// byte that cannot be part of valid UTF-8, even when the sequence it belongs to is not finished yet (an overlong
/// lead, a surrogate, a code point past U+10FFFF are all refused on their second byte at the latest).
/// </summary>
/// <remarks>
/// The state machine keeps how many continuation bytes are still owed and the range the next one must fall in; the
/// narrow ranges after E0, ED, F0 and F4 are what exclude overlongs, surrogates and code points above U+10FFFF
/// (RFC 3629 §4). Whole sequences in the middle of a piece go through the vectorised <see cref="Utf8.IsValid"/>;
/// only the ends of a piece walk the state machine byte by byte.
/// </remarks>
internal struct Utf8Validator
{
    private int _needed;     // continuation bytes still owed by the current sequence
    private byte _low;       // the range the next continuation byte must fall in
    private byte _high;
    private bool _failed;

    /// <summary>True when the bytes so far are valid and end on a character boundary.</summary>
    public readonly bool IsComplete => _needed == 0 && !_failed;

    /// <summary>Starts over for a new message.</summary>
    public void Reset() => this = default;

    /// <summary>Checks the next bytes; false as soon as they cannot become valid UTF-8 (and from then on).</summary>
    public bool Feed(ReadOnlySpan<byte> data)
    {
        if (_failed) return false;
        int i = 0;
        // Finish a sequence left open by the previous piece.
        while (_needed > 0 && i < data.Length)
        {
            if (!Step(data[i++])) return false;
        }
        if (i == data.Length) return true;
        var rest = data[i..];
        // Split off a trailing sequence that is not finished yet; everything before it is whole characters.
        int tail = TrailingStart(rest);
        if (tail > 0 && !Utf8.IsValid(rest[..tail]))
        {
            _failed = true;
            return false;
        }
        for (int j = tail; j < rest.Length; j++)
        {
            if (!Step(rest[j])) return false;
        }
        return true;
    }

    /// <summary>Where the last, possibly unfinished, sequence of <paramref name="data"/> starts (its length when none is open).</summary>
    private static int TrailingStart(ReadOnlySpan<byte> data)
    {
        int last = data.Length - 1;
        if (data[last] < 0x80) return data.Length;
        for (int k = last; k >= 0 && k >= last - 3; k--)
        {
            byte b = data[k];
            if ((b & 0xC0) == 0x80) continue;                 // a continuation byte: keep looking for its lead
            int length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return data.Length - k >= length ? data.Length : k;
        }
        return data.Length;
    }

    private bool Step(byte b)
    {
        if (_needed == 0)
        {
            if (b < 0x80) return true;
            switch (b)
            {
                case >= 0xC2 and <= 0xDF: Open(1, 0x80, 0xBF); return true;
                case 0xE0: Open(2, 0xA0, 0xBF); return true;        // E0 80..9F would be overlong
                case 0xED: Open(2, 0x80, 0x9F); return true;        // ED A0..BF would be a surrogate
                case >= 0xE1 and <= 0xEF: Open(2, 0x80, 0xBF); return true;
                case 0xF0: Open(3, 0x90, 0xBF); return true;        // F0 80..8F would be overlong
                case >= 0xF1 and <= 0xF3: Open(3, 0x80, 0xBF); return true;
                case 0xF4: Open(3, 0x80, 0x8F); return true;        // F4 90.. would pass U+10FFFF
                default: return Fail();                             // 80..C1 (stray or overlong), F5..FF
            }
        }
        if (b < _low || b > _high) return Fail();
        _needed--;
        _low = 0x80;
        _high = 0xBF;
        return true;
    }

    private void Open(int needed, byte low, byte high)
    {
        _needed = needed;
        _low = low;
        _high = high;
    }

    private bool Fail()
    {
        _failed = true;
        return false;
    }
}
