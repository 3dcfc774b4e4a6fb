using System.Buffers.Text;

namespace Twine.Web.Server;

/// <summary>
/// A reusable buffer a response head is formatted into before one write to the transport; one per connection, so
/// formatting allocates nothing once it has grown to the usual head size.
/// </summary>
internal sealed class ByteWriter
{
    private byte[] _buffer = new byte[512];
    private int _length;

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

    public void Clear() => _length = 0;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Writes <paramref name="s"/> as Latin-1 (callers have checked every char is below U+0100).</summary>
    public void WriteLatin1(string s)
    {
        Ensure(s.Length);
        var span = _buffer.AsSpan(_length, s.Length);
        for (int i = 0; i < s.Length; i++) span[i] = (byte)s[i];
        _length += s.Length;
    }

    public void WriteNumber(long n)
    {
        Ensure(20);
        Utf8Formatter.TryFormat(n, _buffer.AsSpan(_length), out int written);
        _length += written;
    }

    public void WriteHex(long n)
    {
        Ensure(16);
        n.TryFormat(_buffer.AsSpan(_length), out int written, "x");
        _length += written;
    }

    private void Ensure(int extra)
    {
        if (_buffer.Length - _length >= extra) return;
        Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + extra));
    }
}
