using System.Buffers;
using System.IO.Compression;
using Twine.Defer;
using Twine.Net;

namespace Twine.Web.Client;

/// <summary>
/// A compressed body decoded on its way to the body protocol. Decompression runs on the reactor thread, a read's
/// worth of input at a time; the protocol's producer controls the underlying connection directly.
/// </summary>
internal sealed class DecodedBody(IResponseBody inner, ContentCoding coding) : IResponseBody
{
    private bool _delivered;

    public void Deliver(IResponseBodyProtocol protocol)
    {
        if (_delivered) throw new InvalidOperationException("The response body has already been delivered.");
        _delivered = true;
        inner.Deliver(new Decoder(protocol, coding));
    }

    /// <summary>Sits between the connection's body and the caller's protocol.</summary>
    private sealed class Decoder(IResponseBodyProtocol target, ContentCoding coding) : IResponseBodyProtocol
    {
        private readonly byte[] _output = new byte[16 * 1024];
        private readonly FeedStream _feed = new();
        private Stream? _zlib;
        private BrotliDecoder _brotli;
        private bool _brotliDone;
        private IPushProducer? _producer;
        private bool _failed;

        public void MakeConnection(IPushProducer producer)
        {
            _producer = producer;
            if (coding == ContentCoding.Brotli) _brotli = new BrotliDecoder();
            else _zlib = coding == ContentCoding.Gzip
                ? new GZipStream(_feed, CompressionMode.Decompress)
                : new ZLibStream(_feed, CompressionMode.Decompress);
            target.MakeConnection(producer);
        }

        public void DataReceived(ReadOnlySpan<byte> data)
        {
            if (_failed) return;
            try
            {
                if (_zlib is not null) Inflate(data);
                else Unbrotli(data);
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                Fail(e);
            }
        }

        public void ConnectionLost(Failure reason)
        {
            if (_failed) return;
            if (reason.Check<ResponseDoneException>())
            {
                // The body ended: the compressed stream must have ended too, or data is missing.
                bool complete = _zlib is null ? _brotliDone : FeedStream.EndOfCompressedData(_zlib);
                if (!complete)
                {
                    Fail(new InvalidDataException("the compressed body ends before its compressed stream does"));
                    return;
                }
            }
            Dispose();
            target.ConnectionLost(reason);
        }

        private void Inflate(ReadOnlySpan<byte> data)
        {
            _feed.Add(data);
            int n;
            while ((n = _zlib!.Read(_output)) > 0)
            {
                target.DataReceived(_output.AsSpan(0, n));
                if (_failed) return;
            }
        }

        private void Unbrotli(ReadOnlySpan<byte> data)
        {
            while (!_brotliDone)
            {
                var status = _brotli.Decompress(data, _output, out int consumed, out int written);
                data = data[consumed..];
                if (written > 0) target.DataReceived(_output.AsSpan(0, written));
                if (_failed) return;
                switch (status)
                {
                    case OperationStatus.Done:
                        _brotliDone = true;
                        break;
                    case OperationStatus.InvalidData:
                        throw new InvalidDataException("invalid Brotli data");
                    case OperationStatus.NeedMoreData when data.IsEmpty:
                        return;
                }
            }
        }

        private void Fail(Exception error)
        {
            _failed = true;
            Dispose();
            target.ConnectionLost(new Failure(new ContentDecodingException(coding.ToString().ToLowerInvariant(), error)));
            _producer?.StopProducing();
        }

        private void Dispose()
        {
            _zlib?.Dispose();
            if (coding == ContentCoding.Brotli) _brotli.Dispose();
        }
    }

    /// <summary>
    /// The compressed bytes received so far, as a stream the decompressor pulls from: a read with nothing left returns
    /// 0, which the decompressor takes as "no more input for now" and asks again after the next <see cref="Add"/>.
    /// </summary>
    private sealed class FeedStream : Stream
    {
        private readonly ArrayBufferWriter<byte> _data = new();
        private int _read;

        public void Add(ReadOnlySpan<byte> data)
        {
            if (_read == _data.WrittenCount)
            {
                _data.Clear();
                _read = 0;
            }
            _data.Write(data);
        }

        /// <summary>
        /// Whether the decompressor accepts that its input has ended: one more read with no new input, which fails for
        /// a stream the decompressor can tell is cut short. (.NET's inflater does not say whether it saw the trailer,
        /// so a gzip or zlib stream cut exactly between deflate blocks may pass; Brotli's decoder reports it exactly.)
        /// </summary>
        public static bool EndOfCompressedData(Stream decompressor)
        {
            try
            {
                Span<byte> probe = stackalloc byte[1];
                return decompressor.Read(probe) == 0;
            }
            catch (InvalidDataException)
            {
                return false;
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = Math.Min(buffer.Length, _data.WrittenCount - _read);
            _data.WrittenSpan.Slice(_read, n).CopyTo(buffer);
            _read += n;
            return n;
        }

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
