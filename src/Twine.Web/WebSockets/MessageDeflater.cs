using System.IO.Compression;

namespace Twine.Web.WebSockets;

/// <summary>
/// Compresses outgoing messages for permessage-deflate: raw deflate, each message (or fragment) ended with a sync
/// flush whose trailing <c>00 00 FF FF</c> is removed at the end of the message (RFC 7692 §7.2.1).
/// </summary>
internal sealed class MessageDeflater : IDisposable
{
    private static readonly byte[] s_tail = [0x00, 0x00, 0xFF, 0xFF];
    private readonly CompressionLevel _level;
    private readonly bool _reset;
    private readonly MemoryStream _output = new();
    private DeflateStream? _deflate;

    public MessageDeflater(CompressionLevel level, bool noContextTakeover)
    {
        _level = level;
        _reset = noContextTakeover;
    }

    /// <summary>
    /// Compresses <paramref name="data"/> as the next part of a message; returns the bytes to send, valid until the
    /// next call. With <paramref name="final"/> the message ends here.
    /// </summary>
    public ReadOnlySpan<byte> Compress(ReadOnlySpan<byte> data, bool final)
    {
        _output.SetLength(0);
        _deflate ??= new DeflateStream(_output, _level, leaveOpen: true);
        _deflate.Write(data);
        _deflate.Flush();        // a sync flush: everything so far is decodable, ending with 00 00 FF FF
        var bytes = _output.GetBuffer().AsSpan(0, (int)_output.Length);
        if (final)
        {
            if (bytes.EndsWith(s_tail)) bytes = bytes[..^4];
            if (bytes.IsEmpty) bytes = s_emptyBlock;
            if (_reset)
            {
                _deflate.Dispose();
                _deflate = null;
            }
        }
        return bytes;
    }

    // An empty message compresses to one empty fixed block (RFC 7692 §7.2.3.6 shows 0x00 as the usual form).
    private static readonly byte[] s_emptyBlock = [0x00];

    public void Dispose()
    {
        _deflate?.Dispose();
        _deflate = null;
    }
}
