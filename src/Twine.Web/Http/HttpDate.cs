using System.Globalization;
using System.Text;

namespace Twine.Web.Http;

/// <summary>
/// The <c>Date</c> header line (IMF-fixdate, RFC 9110 §5.6.7), formatted once per second and reused: the clock is read
/// per response, the string is built once a second.
/// </summary>
internal sealed class HttpDate(TimeProvider time)
{
    private long _second = long.MinValue;
    private byte[] _line = [];

    /// <summary><c>Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n</c> for now.</summary>
    public ReadOnlySpan<byte> HeaderLine
    {
        get
        {
            var now = time.GetUtcNow();
            long second = now.ToUnixTimeSeconds();
            if (second != _second)
            {
                _line = Encoding.ASCII.GetBytes($"Date: {Format(now)}\r\n");
                _second = second;
            }
            return _line;
        }
    }

    /// <summary>Formats <paramref name="when"/> as an IMF-fixdate.</summary>
    public static string Format(DateTimeOffset when) =>
        when.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture);

    /// <summary>Parses an IMF-fixdate (the only form senders may generate); false for anything else.</summary>
    public static bool TryParse(string? value, out DateTimeOffset when) =>
        DateTimeOffset.TryParseExact(value, "ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out when);
}
