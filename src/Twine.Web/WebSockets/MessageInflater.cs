using System.IO.Compression;

namespace Twine.Web.WebSockets;

/// <summary>
/// Decompresses incoming permessage-deflate messages piece by piece, as their frames arrive, through one raw-deflate
/// stream kept across messages (so context takeover works, and costs nothing when the peer resets instead).
/// </summary>
/// <remarks>
/// <para>
/// Output is handed over in pieces of at most 16 KiB and never accumulated here: the caller counts it against the
/// message limit, which is what stops a small frame from inflating into gigabytes.
/// </para>
/// <para>
/// A peer may end its compressed data with a block whose BFINAL bit is set (RFC 7692 §7.2.3.4). That ends the deflate
/// stream, and with it the peer's compression context: what follows (the rest of the message, then later messages) is
/// read by a fresh inflater. <see cref="DeflateStream"/> does not say how much of its input it used when the stream
/// ended, so each piece is given to it as a run of bytes and then its last two bytes one at a time: a stream that ends
/// in those two bytes (which is where a sender that finishes its compressor per message or per fragment ends it,
/// before the optional empty block) ends at a known place. A stream that ends earlier in a piece, with more data
/// behind it that the inflater has already swallowed, cannot be followed and fails with 1007 rather than losing data.
/// </para>
/// </remarks>
internal sealed class MessageInflater : IDisposable
{
    private static readonly byte[] s_tail = [0x00, 0x00, 0xFF, 0xFF];
    private readonly Input _input = new();
    private readonly byte[] _out = new byte[16 * 1024];
    private DeflateStream _inflate;
    private bool _fedThisMessage;        // whether the current deflate stream has had bytes of the current message

    public MessageInflater() => _inflate = new DeflateStream(_input, CompressionMode.Decompress, leaveOpen: true);

    /// <summary>
    /// Decompresses <paramref name="compressed"/>; <paramref name="sink"/> gets each piece of output and returns false
    /// to stop (the message is being failed).
    /// </summary>
    /// <exception cref="WebSocketProtocolException">The data is not valid deflate (1007).</exception>
    public void Inflate<TState>(ReadOnlySpan<byte> compressed, bool final, TState state, Func<TState, ReadOnlySpan<byte>, bool> sink)
    {
        int run = Math.Max(0, compressed.Length - 2);
        if (run > 0 && !Feed(compressed[..run], state, sink)) return;
        for (int i = run; i < compressed.Length; i++)
        {
            if (!Feed(compressed.Slice(i, 1), state, sink)) return;
        }
        if (final)
        {
            // The tail completes the empty stored block the sender removed (§7.2.2). When the message's data ended
            // with a finished stream (or the message is empty) there is no block to complete, and feeding the tail
            // to a new stream would start a stored block that swallows the next message.
            if (_fedThisMessage) Feed(s_tail, state, sink, tail: true);
            _fedThisMessage = false;
        }
    }

    private bool Feed<TState>(ReadOnlySpan<byte> data, TState state, Func<TState, ReadOnlySpan<byte>, bool> sink, bool tail = false)
    {
        _input.Set(data);
        if (!data.IsEmpty) _fedThisMessage = true;
        while (true)
        {
            int n;
            _input.Starved = false;
            try
            {
                n = _inflate.Read(_out);
            }
            catch (InvalidDataException e)
            {
                throw new WebSocketProtocolException(WebSocketCloseCode.InvalidPayload, "A compressed message is not valid deflate data: " + e.Message);
            }
            if (n > 0)
            {
                if (!sink(state, _out.AsSpan(0, n))) return false;
                continue;
            }
            // Nothing came out. The inflater either asked for more input (and there is none yet), or its stream has
            // ended: a finished DeflateStream returns 0 without reading.
            if (_input.Starved) return true;
            if (!tail && _input.LastRead != 1)
                throw new WebSocketProtocolException(WebSocketCloseCode.InvalidPayload,
                    "A compressed message goes on after the end of its deflate stream (BFINAL) at a place this endpoint cannot locate.");
            RestartStream();
            if (tail) return true;           // what is left of the tail belonged to no block
            _fedThisMessage = false;
        }
    }

    /// <summary>The peer's stream ended with BFINAL: its compression context is gone, so a fresh inflater reads on.</summary>
    private void RestartStream()
    {
        _inflate.Dispose();
        _inflate = new DeflateStream(_input, CompressionMode.Decompress, leaveOpen: true);
    }

    public void Dispose() => _inflate.Dispose();

    /// <summary>The inflater's source: the bytes of the current piece, then "no more for now".</summary>
    private sealed class Input : Stream
    {
        private byte[] _buffer = new byte[1024];
        private int _start, _end;

        /// <summary>Set when the inflater asked for bytes and there were none left.</summary>
        public bool Starved { get; set; }

        /// <summary>How many bytes the last read that returned any handed over.</summary>
        public int LastRead { get; private set; }

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
            if (n == 0)
            {
                Starved = true;
                return 0;
            }
            _buffer.AsSpan(_start, n).CopyTo(buffer);
            _start += n;
            LastRead = n;
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
