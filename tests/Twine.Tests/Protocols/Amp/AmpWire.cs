using System.Globalization;
using System.Text;

namespace Twine.Tests.Protocols.Amp;

/// <summary>Wire bytes written as Python prints them: <c>@"\x00\x04_ask"</c>, each <c>\xHH</c> exactly two hex digits.</summary>
internal static class AmpWire
{
    public static byte[] Bytes(string escaped)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] == '\\' && i + 3 < escaped.Length && escaped[i + 1] == 'x')
            {
                bytes.Add(byte.Parse(escaped.AsSpan(i + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.Latin1.GetBytes(escaped[i].ToString()));
            }
        }
        return [.. bytes];
    }

    public static string Text(byte[] bytes) => Encoding.Latin1.GetString(bytes);
}
