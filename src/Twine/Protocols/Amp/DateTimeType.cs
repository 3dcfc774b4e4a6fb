using System.Globalization;

namespace Twine.Protocols.Amp;

/// <summary>
/// DateTime: exactly 32 ASCII characters, <c>YYYY-MM-DDTHH:MM:SS.ffffff±HH:MM</c>, the local time and its offset from
/// UTC (AMP11). As in Twisted, a zero offset is written <c>-00:00</c>; precision is the microsecond (a
/// <see cref="DateTimeOffset"/>'s last tick digit is dropped).
/// </summary>
internal sealed class DateTimeType : AmpType<DateTimeOffset>
{
    private const int Length = 32;

    public override string Name => "DateTime";

    public override byte[] Encode(DateTimeOffset value)
    {
        var minutes = (int)value.Offset.TotalMinutes;
        // Twisted writes '+' only for a positive offset, so UTC goes out as -00:00.
        var sign = minutes > 0 ? '+' : '-';
        minutes = Math.Abs(minutes);
        var microsecond = value.Ticks % TimeSpan.TicksPerSecond / 10;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{value.Year:D4}-{value.Month:D2}-{value.Day:D2}T{value.Hour:D2}:{value.Minute:D2}:{value.Second:D2}.{microsecond:D6}{sign}{minutes / 60:D2}:{minutes % 60:D2}");
        return System.Text.Encoding.ASCII.GetBytes(text);
    }

    internal override bool WritesDirectly => true;

    public override DateTimeOffset Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length || !HasSeparators(bytes))
            throw Bad(bytes, "expected exactly YYYY-MM-DDTHH:MM:SS.ffffff+HH:MM (32 characters)");
        int year = Number(bytes, 0, 4), month = Number(bytes, 5, 2), day = Number(bytes, 8, 2);
        int hour = Number(bytes, 11, 2), minute = Number(bytes, 14, 2), second = Number(bytes, 17, 2);
        int microsecond = Number(bytes, 20, 6);
        int offsetMinutes = Number(bytes, 27, 2) * 60 + Number(bytes, 30, 2);
        if (bytes[26] == '-') offsetMinutes = -offsetMinutes;
        try
        {
            var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(microsecond * 10L);
            return new DateTimeOffset(local, TimeSpan.FromMinutes(offsetMinutes));
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"Bad DateTime value {AmpText.Quote(bytes)}: {e.Message}", e);
        }

        int Number(ReadOnlySpan<byte> b, int start, int count)
        {
            var field = b.Slice(start, count);
            if (field.ContainsAnyExceptInRange((byte)'0', (byte)'9')) throw Bad(b, "a field is not all digits");
            var n = 0;
            foreach (var digit in field) n = n * 10 + (digit - '0');
            return n;
        }
    }

    private static bool HasSeparators(ReadOnlySpan<byte> b) =>
        b[4] == '-' && b[7] == '-' && b[10] == 'T' && b[13] == ':' && b[16] == ':' && b[19] == '.'
        && (b[26] == '+' || b[26] == '-') && b[29] == ':';

    private static FormatException Bad(ReadOnlySpan<byte> bytes, string why) => new($"Bad DateTime value {AmpText.Quote(bytes)}: {why}.");
}
