using System.Text;
using Twine.Web.Http;

namespace Twine.Web.Tests.Http;

public class ChunkedDecoderTests
{
    /// <summary>Decodes <paramref name="wire"/> fed in pieces of <paramref name="piece"/> bytes; returns the body, or null if unfinished.</summary>
    private static string? Decode(string wire, int piece = int.MaxValue, int maxLine = 1024)
    {
        var decoder = new ChunkedDecoder(maxLine);
        var input = Encoding.Latin1.GetBytes(wire);
        var body = new MemoryStream();
        var pending = new List<byte>();
        for (int i = 0; i < input.Length; i += piece)
        {
            pending.AddRange(input.AsSpan(i, Math.Min(piece, input.Length - i)).ToArray());
            while (true)
            {
                var buffer = pending.ToArray();
                var status = decoder.Decode(buffer, out int used, out int offset, out int length);
                if (status == ChunkedStatus.Data) body.Write(buffer, offset, length);
                pending.RemoveRange(0, used);
                if (status == ChunkedStatus.Done) return Encoding.Latin1.GetString(body.ToArray());
                if (status == ChunkedStatus.NeedMore) break;
            }
        }
        return null;
    }

    private static int StatusOf(string wire, int maxLine = 1024)
    {
        try
        {
            return Decode(wire, maxLine: maxLine) is null ? -1 : 0;
        }
        catch (HttpParseException e)
        {
            return e.StatusCode;
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(1000)]
    public void DecodesWhateverTheSplit(int piece)
    {
        Assert.Equal("hello world!", Decode("5\r\nhello\r\n7;ext=1;q=\"a;b\"\r\n world!\r\n0\r\nTrailer: x\r\n\r\n", piece));
    }

    [Fact]
    public void HexSizesInEitherCase() => Assert.Equal(new string('x', 26), Decode("1a\r\n" + new string('x', 26) + "\r\n0\r\n\r\n"));

    [Fact]
    public void UnfinishedBodyWaits() => Assert.Equal(-1, StatusOf("5\r\nhel"));

    [Theory]
    [InlineData("\r\nhello\r\n0\r\n\r\n")]                 // missing size
    [InlineData("g\r\n")]                                  // not hex
    [InlineData("-5\r\nhello\r\n0\r\n\r\n")]               // signed
    [InlineData("0x5\r\nhello\r\n0\r\n\r\n")]              // 0x prefix
    [InlineData("5 \r\nhello\r\n0\r\n\r\n")]               // whitespace without an extension
    [InlineData("1000000000000000\r\n")]                   // overflow (16 hex digits)
    [InlineData("ffffffffffffffffffff\r\n")]
    [InlineData("5\nhello\r\n0\r\n\r\n")]                  // bare LF after size
    [InlineData("5\r\nhelloXX0\r\n\r\n")]                  // no CRLF after data
    [InlineData("5\r\nhello\n0\r\n\r\n")]                  // bare LF after data
    [InlineData("5;\r\nhello\r\n0\r\n\r\n")]               // empty extension name
    [InlineData("5;a=\r\nhello\r\n0\r\n\r\n")]             // empty extension value
    [InlineData("5;a=\"x\r\nhello\r\n0\r\n\r\n")]          // unterminated quoted string
    [InlineData("5;a\0\r\nhello\r\n0\r\n\r\n")]            // NUL in an extension
    [InlineData("0\r\nBad Name: x\r\n\r\n")]               // malformed trailer
    [InlineData("0\r\nX: a\r\n b\r\n\r\n")]                // folded trailer
    [InlineData("0\r\n\n")]                                // bare LF ending the trailers
    public void RejectsMalformedChunking(string wire) => Assert.Equal(400, StatusOf(wire));

    [Fact]
    public void ChunkExtensionsAreBounded()
    {
        Assert.Equal(400, StatusOf("5;" + new string('a', 100) + "\r\nhello\r\n0\r\n\r\n", maxLine: 64));
        Assert.Equal(400, StatusOf("5;" + new string('a', 100), maxLine: 64));   // detected before the line ends
        Assert.Equal(0, StatusOf("5;" + new string('a', 40) + "\r\nhello\r\n0\r\n\r\n", maxLine: 64));
    }
}
