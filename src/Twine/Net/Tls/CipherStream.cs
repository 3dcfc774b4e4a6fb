using System.Buffers;
using System.Net.Security;
using System.Threading.Tasks.Sources;

namespace Twine.Net.Tls;

/// <summary>
/// The in-memory, never-blocking <see cref="Stream"/> that <see cref="SslStream"/> reads ciphertext from and writes
/// ciphertext to: the memory BIO pair of Twisted's <c>TLSMemoryBIOProtocol</c>, as a stream.
/// </summary>
/// <remarks>
/// <para>Writes go straight to the sink (the underlying transport's <c>Write</c>, which copies) and complete at once.
/// A read completes at once from buffered ciphertext; with none, it stays pending until <see cref="Feed"/> or
/// <see cref="FeedEnd"/>, which complete it on the caller's thread — the reactor thread — because the source runs
/// continuations synchronously. Whoever calls into <see cref="SslStream"/> or this stream must do so with no
/// <see cref="SynchronizationContext"/> installed (see <see cref="InlineScope"/>), or the runtime would post the
/// continuations of <see cref="SslStream"/>'s own awaits elsewhere.</para>
/// <para>Ciphertext that arrives while no read is pending (the wrapped protocol paused reading) is kept here; it is
/// at most what the underlying transport delivered before it was paused in turn.</para>
/// </remarks>
internal sealed class CipherStream : Stream, IValueTaskSource<int>
{
    private readonly Action<ReadOnlySpan<byte>> _sink;
    private ManualResetValueTaskSourceCore<int> _pending = new() { RunContinuationsAsynchronously = false };
    private Memory<byte> _pendingBuffer;
    private bool _readPending;
    private byte[] _buffer = [];
    private int _start;
    private int _end;
    private bool _ended;

    public CipherStream(Action<ReadOnlySpan<byte>> sink) => _sink = sink;

    /// <summary>Ciphertext received and not yet taken by <see cref="SslStream"/>.</summary>
    public int Buffered => _end - _start;

    /// <summary>True once the underlying transport reported end-of-stream.</summary>
    public bool Ended => _ended;

    /// <summary>True once a read returned 0 because the transport ended (not because of a zero-byte read).</summary>
    public bool EndReturned { get; private set; }

    /// <summary>Ciphertext from the underlying transport: satisfies a pending read at once, keeps the rest.</summary>
    public void Feed(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty || _ended) return;
        if (_readPending && Buffered == 0)
        {
            // The common case: SslStream is waiting with its own buffer; copy straight into it, no stop on the way.
            int n = Math.Min(data.Length, _pendingBuffer.Length);
            data[..n].CopyTo(_pendingBuffer.Span);
            Keep(data[n..]);
            Complete(n);
            return;
        }
        Keep(data);
        if (_readPending) Complete(Take(_pendingBuffer.Span));
    }

    /// <summary>The underlying transport reached end-of-stream: a pending read (and every later one) returns 0 once the buffer is empty.</summary>
    public void FeedEnd()
    {
        if (_ended) return;
        _ended = true;
        if (_readPending && Buffered == 0)
        {
            if (!_pendingBuffer.IsEmpty) EndReturned = true;
            Complete(0);
        }
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_readPending) throw new InvalidOperationException("CipherStream allows one read at a time, as SslStream issues them.");
        // A zero-byte read waits for data without a buffer (SslStream uses it while idle); it completes with 0.
        if (Buffered > 0) return new ValueTask<int>(Take(buffer.Span));
        if (_ended)
        {
            if (!buffer.IsEmpty) EndReturned = true;
            return new ValueTask<int>(0);
        }
        _readPending = true;
        _pendingBuffer = buffer;
        _pending.Reset();
        return new ValueTask<int>(this, _pending.Version);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Synchronous reads serve buffered ciphertext only: this stream never blocks the reactor thread.</summary>
    /// <exception cref="InvalidOperationException">Nothing is buffered and the stream has not ended.</exception>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc cref="Read(byte[], int, int)"/>
    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty || Buffered > 0) return Take(buffer);
        if (_ended)
        {
            EndReturned = true;
            return 0;
        }
        throw new InvalidOperationException("CipherStream never blocks: use ReadAsync, which completes when ciphertext arrives.");
    }

    public override void Write(byte[] buffer, int offset, int count) => _sink(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) => _sink(buffer);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _sink(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        _sink(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override void Flush() { }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException("A network stream has no length.");
    public override long Position
    {
        get => throw new NotSupportedException("A network stream has no position.");
        set => throw new NotSupportedException("A network stream has no position.");
    }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A network stream cannot seek.");
    public override void SetLength(long value) => throw new NotSupportedException("A network stream has no length.");

    /// <summary>SslStream disposes its inner stream with it: the pooled buffer goes back.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing) Release();
        base.Dispose(disposing);
    }

    int IValueTaskSource<int>.GetResult(short token) => _pending.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _pending.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _pending.OnCompleted(continuation, state, token, flags);

    private void Complete(int n)
    {
        _readPending = false;
        _pendingBuffer = default;
        // Runs SslStream's continuation here, on this thread: it decrypts and may complete the protocol's read.
        _pending.SetResult(n);
    }

    private int Take(Span<byte> destination)
    {
        int n = Math.Min(destination.Length, Buffered);
        _buffer.AsSpan(_start, n).CopyTo(destination);
        _start += n;
        if (_start == _end) Release();
        return n;
    }

    /// <summary>
    /// Gives the buffer back to the shared pool once drained: an idle connection holds no ciphertext buffer, and a busy
    /// one rents the same pooled array again without allocating.
    /// </summary>
    private void Release()
    {
        _start = _end = 0;
        if (_buffer.Length == 0) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void Keep(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        if (_end + data.Length > _buffer.Length)
        {
            int live = Buffered;
            if (live + data.Length <= _buffer.Length)
            {
                _buffer.AsSpan(_start, live).CopyTo(_buffer);
            }
            else
            {
                var target = ArrayPool<byte>.Shared.Rent(Math.Max(live + data.Length, _buffer.Length * 2));
                _buffer.AsSpan(_start, live).CopyTo(target);
                if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = target;
            }
            _start = 0;
            _end = live;
        }
        data.CopyTo(_buffer.AsSpan(_end));
        _end += data.Length;
    }
}
