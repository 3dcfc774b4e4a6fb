using System.IO.Compression;

namespace Twine.Web.WebSockets;

/// <summary>
/// Decompresses incoming permessage-deflate messages piece by piece, as their frames arrive, through one raw-deflate
/// stream kept across messages (so context takeover works, and costs nothing when the peer resets instead).
/// </summary>
/// <remarks>
/// Output is handed over in pieces of at most 16 KiB and never accumulated here: the caller counts it against the
/// message limit, which is what stops a small frame from inflating into gigabytes.
/// </remarks>
internal sealed class MessageInflater : IDisposable
{
    private static readonly byte[] s_tail = [0x00, 0x00, 0xFF, 0xFF];
    private readonly Input _input = new();
    private readonly byte[] _out = new byte[16 * 1024];
    private readonly DeflateStream _inflate;

    public MessageInflater() => _inflate = new DeflateStream(_input, CompressionMode.Decompress);

    /// <summary>
    /// Decompresses <paramref name="compressed"/>; <paramref name="sink"/> gets each piece of output and returns false
    /// to stop (the message is being failed).
    /// </summary>
    /// <exception cref="WebSocketProtocolException">The data is not valid deflate (1007).</exception>
    public void Inflate<TState>(ReadOnlySpan<byte> compressed, bool final, TState state, Func<TState, ReadOnlySpan<byte>, bool> sink)
    {
        _input.Set(compressed);
        if (!Drain(state, sink)) return;
        if (final)
        {
            _input.Set(s_tail);
            Drain(state, sink);
        }
    }

    private bool Drain<TState>(TState state, Func<TState, ReadOnlySpan<byte>, bool> sink)
    {
        while (true)
        {
            int n;
            try
            {
                n = _inflate.Read(_out);
            }
            catch (InvalidDataException e)
            {
                throw new WebSocketProtocolException(WebSocketCloseCode.InvalidPayload, "A compressed message is not valid deflate data: " + e.Message);
            }
            if (n == 0) return true;
            if (!sink(state, _out.AsSpan(0, n))) return false;
        }
    }

    public void Dispose() => _inflate.Dispose();

    /// <summary>The inflater's source: the bytes of the current piece, then "no more for now".</summary>
    private sealed class Input : Stream
    {
        private byte[] _buffer = new byte[1024];
        private int _start, _end;

        public void Set(ReadOnlySpan<byte> data)
        {
            if (_buffer.Length < data.Length) _buffer = new byte[Math.Max(data.Length, _buffer.Length * 2)];
            data.CopyTo(_buffer);
            _start = 0;
            _end = data.Length;
        }

        public override int Read(Span<byte> buffer)
        {
            int n = Math.Min(buffer.Length, _end - _start);
            _buffer.AsSpan(_start, n).CopyTo(buffer);
            _start += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
