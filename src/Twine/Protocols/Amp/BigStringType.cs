using System.Globalization;

namespace Twine.Protocols.Amp;

/// <summary>
/// BigString, AMP's convention for values over 65535 bytes: the first 65535 bytes under the key itself, each further
/// 65535 under <c>key.2</c>, <c>key.3</c>, …; a reader concatenates from the key on until a numbered key is missing.
/// An empty value is the key with an empty value.
/// </summary>
internal class BigStringType : AmpType<byte[]>
{
    public override string Name => "BigString";

    public override byte[] Encode(byte[] value) => value;

    public override byte[] Decode(ReadOnlySpan<byte> bytes) => bytes.ToArray();

    public override void Write(AmpBox box, string key, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var first = Math.Min(value.Length, AmpBox.MaxValueLength);
        box.Set(key, value[..first]);
        var chunk = 2;
        for (var at = first; at < value.Length; at += AmpBox.MaxValueLength, chunk++)
            box.Set(ChunkKey(key, chunk), value[at..Math.Min(value.Length, at + AmpBox.MaxValueLength)]);
    }

    public override bool TryRead(AmpBox box, string key, out byte[] value)
    {
        if (!box.TryGetValue(key, out var first))
        {
            value = [];
            return false;
        }
        var chunks = new List<byte[]> { first };
        for (var chunk = 2; box.TryGetValue(ChunkKey(key, chunk), out var next); chunk++) chunks.Add(next);
        if (chunks.Count == 1)
        {
            value = first;
            return true;
        }
        value = new byte[chunks.Sum(c => (long)c.Length)];
        var at = 0;
        foreach (var c in chunks)
        {
            c.CopyTo(value, at);
            at += c.Length;
        }
        return true;
    }

    private static string ChunkKey(string key, int chunk) => string.Create(CultureInfo.InvariantCulture, $"{key}.{chunk}");
}

/// <summary>BigUnicode: text as UTF-8, chunked as <see cref="BigStringType"/> (a chunk may end inside a character).</summary>
internal sealed class BigUnicodeType : AmpType<string>
{
    private static readonly BigStringType Bytes = new();

    public override string Name => "BigUnicode";

    public override byte[] Encode(string value) => AmpText.Encode(value);

    public override string Decode(ReadOnlySpan<byte> bytes) => AmpText.Decode(bytes);

    public override void Write(AmpBox box, string key, string value) => Bytes.Write(box, key, Encode(value));

    public override bool TryRead(AmpBox box, string key, out string value)
    {
        var found = Bytes.TryRead(box, key, out var bytes);
        value = found ? Decode(bytes) : "";
        return found;
    }
}
