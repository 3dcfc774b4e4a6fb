using System.Text;
using System.Text.Unicode;
using Twine.Web.WebSockets;

namespace Twine.Web.Tests.WebSockets;

/// <summary>WS6: the incremental UTF-8 check, on every boundary case and every split point.</summary>
public class Utf8ValidatorTests
{
    public static TheoryData<string> Valid => new()
    {
        "", "hello", "κόσμε", "\u0080", "\u07FF", "\u0800", "\uFFFF", "\uD7FF", "\uE000", "\U00010000", "\U0010FFFF",
        "Hello-µ@ßöäüàá-UTF-8!!", "a\U0001F600b\u00e9\u20ac",
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void ValidTextPassesWholeAndSplitAtEveryPoint(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        for (int split = 0; split <= bytes.Length; split++)
        {
            var v = new Utf8Validator();
            Assert.True(v.Feed(bytes.AsSpan(0, split)));
            Assert.True(v.Feed(bytes.AsSpan(split)));
            Assert.True(v.IsComplete, $"split at {split}");
        }
        var oneByOne = new Utf8Validator();
        foreach (var b in bytes) Assert.True(oneByOne.Feed([b]));
        Assert.True(oneByOne.IsComplete);
    }

    // Each case: the bytes, and the index of the first byte at which no valid continuation exists.
    public static TheoryData<string, int> Invalid => new()
    {
        { "C0 80", 0 },            // overlong NUL (C0 and C1 are never valid)
        { "C1 BF", 0 },
        { "E0 80 80", 1 },         // overlong three-byte
        { "E0 9F BF", 1 },
        { "F0 80 80 80", 1 },      // overlong four-byte
        { "F0 8F BF BF", 1 },
        { "ED A0 80", 1 },         // U+D800, a surrogate
        { "ED BF BF", 1 },         // U+DFFF
        { "F4 90 80 80", 1 },      // U+110000, past the last code point
        { "F5 80 80 80", 0 },      // leads that cannot start anything
        { "FE", 0 },
        { "FF", 0 },
        { "80", 0 },               // a continuation byte with no lead
        { "41 BF", 1 },
        { "C2 41", 1 },            // a lead not followed by a continuation
        { "E2 82 41", 2 },
        { "F0 9F 98 41", 3 },
        { "CE BA E1 BD B9 CF 83 CE BC CE B5 ED A0 80 65 64 69 74 65 64", 12 },   // Autobahn 6.4.x: a surrogate mid-text
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void InvalidBytesFailAtTheFirstByteThatCannotBeValid(string hex, int failAt)
    {
        var bytes = Convert.FromHexString(hex.Replace(" ", ""));
        var v = new Utf8Validator();
        for (int i = 0; i < bytes.Length; i++)
        {
            bool ok = v.Feed(bytes.AsSpan(i, 1));
            Assert.True(ok == (i < failAt), $"byte {i} of {hex}: Feed said {ok}");
            if (!ok) break;
        }
        Assert.False(v.Feed("a"u8), "once failed, the validator stays failed");
        // Whole, and split at every point, the verdict is the same.
        for (int split = 0; split <= bytes.Length; split++)
        {
            var s = new Utf8Validator();
            bool result = s.Feed(bytes.AsSpan(0, split)) && s.Feed(bytes.AsSpan(split));
            Assert.False(result && s.IsComplete);
        }
    }

    [Theory]
    [InlineData("C2")]
    [InlineData("E2 82")]
    [InlineData("F0 9F 98")]
    [InlineData("61 62 F4 8F BF")]
    public void ATruncatedSequenceIsNotAFailureButIsNotComplete(string hex)
    {
        var v = new Utf8Validator();
        Assert.True(v.Feed(Convert.FromHexString(hex.Replace(" ", ""))));
        Assert.False(v.IsComplete);
    }

    [Fact]
    public void RandomBytesInRandomPiecesAgreeWithTheFrameworkValidator()
    {
        var random = new Random(12);
        for (int round = 0; round < 5000; round++)
        {
            // Mostly valid text with some damage, so that both verdicts are common.
            var text = new StringBuilder();
            for (int i = random.Next(0, 20); i > 0; i--) text.Append(char.ConvertFromUtf32(random.Next(4) switch { 0 => random.Next(0x20, 0x7F), 1 => random.Next(0x80, 0x800), 2 => random.Next(0xE000, 0x10000), _ => random.Next(0x10000, 0x110000) }));
            var bytes = Encoding.UTF8.GetBytes(text.ToString());
            if (bytes.Length > 0 && random.Next(3) == 0) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            if (bytes.Length > 0 && random.Next(4) == 0) bytes = bytes[..random.Next(bytes.Length)];
            var v = new Utf8Validator();
            bool ok = true;
            int pos = 0;
            while (pos < bytes.Length && ok)
            {
                int n = random.Next(1, bytes.Length - pos + 1);
                ok = v.Feed(bytes.AsSpan(pos, n));
                pos += n;
            }
            Assert.Equal(Utf8.IsValid(bytes), ok && v.IsComplete);
        }
    }
}
