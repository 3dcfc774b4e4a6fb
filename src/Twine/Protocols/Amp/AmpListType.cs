namespace Twine.Protocols.Amp;

/// <summary>AmpList: each record as a complete serialized box (ending in the empty key), concatenated (AMP11).</summary>
internal sealed class AmpListType<T>(AmpSchema<T> schema) : AmpType<IReadOnlyList<T>>
{
    public override string Name => "AmpList";

    public override byte[] Encode(IReadOnlyList<T> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var boxes = new List<byte[]>(value.Count);
        foreach (var item in value)
        {
            var box = new AmpBox();
            schema.Write(item, box);
            boxes.Add(box.Serialize());
        }
        var bytes = new byte[boxes.Sum(b => b.Length)];
        var at = 0;
        foreach (var box in boxes)
        {
            box.CopyTo(bytes, at);
            at += box.Length;
        }
        return bytes;
    }

    internal override bool WritesDirectly => true;

    public override IReadOnlyList<T> Decode(ReadOnlySpan<byte> bytes)
    {
        List<AmpBox> boxes;
        try
        {
            boxes = AmpBox.ParseMany(bytes);
        }
        catch (AmpProtocolException e)
        {
            throw new FormatException($"Bad AmpList value: {e.Message}", e);
        }
        var items = new List<T>(boxes.Count);
        foreach (var box in boxes) items.Add(schema.Read(box));
        return items;
    }
}
