using Twine.Defer;
using Twine.Net;
using Twine.Net.Sockets;
using Twine.Reactors.Io;

namespace Twine.Processes;

/// <summary>
/// A pipe written through a stream (a child's stdin on the portable layer, StandardIO's stdout off Linux): the flush phase starts one asynchronous write of the
/// head segment; its completion, posted to the loop, consumes it and starts the next. Buffering, flow control and
/// closing are <see cref="BufferedPipeWriter"/>'s, as on the native layer. Loop thread only.
/// </summary>
/// <remarks>
/// Unlike a pipe descriptor in a poll set, a stream cannot report that the child closed its end while nothing is being
/// written; the loss shows when a write fails (EPIPE), or when the process owner closes stdin after the child exits.
/// </remarks>
internal sealed class StreamPipeWriter : BufferedPipeWriter
{
    private static readonly Action<(StreamPipeWriter Writer, Task Write, int Count)> s_written = static s => s.Writer.Written(s.Write, s.Count);

    private readonly Stream _stream;
    private readonly List<ArraySegment<byte>> _segments = new(1);
    private bool _writing;

    public StreamPipeWriter(IIoLoop loop, Stream stream, int childFd, IPipeOwner owner) : base(loop, childFd, owner) => _stream = stream;

    /// <inheritdoc />
    private protected override bool Busy => _writing;

    private protected override void WriteOut()
    {
        if (_buffer.Count > 0)
        {
            _segments.Clear();
            _buffer.Gather(_segments, 1);
            var segment = _segments[0];
            _writing = true;
            Task write;
            try
            {
                write = _stream.WriteAsync(segment.Array!, segment.Offset, segment.Count);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                write = Task.FromException(ex);
            }
            write.ContinueWith(static (t, state) =>
            {
                var (writer, count) = ((StreamPipeWriter, int))state!;
                try
                {
                    writer._loop.Post(s_written, (writer, t, count));
                }
                catch (ObjectDisposedException)
                {
                    // The reactor is gone; the stream was closed with it.
                }
            }, (this, segment.Count), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        AfterWrite();
    }

    private void Written(Task write, int count)
    {
        _writing = false;
        if (Closed) return;
        if (!write.IsCompletedSuccessfully)
        {
            // EPIPE: the child closed its end; what is buffered can never be delivered.
            var error = write.Exception?.InnerException ?? new IOException("The write was cancelled.");
            Close(new Failure(new ConnectionLostException($"Writing child descriptor {ChildFd} failed: {error.Message}")));
            return;
        }
        _buffer.Consume(count);
        WriteOut();
    }

    /// <inheritdoc />
    private protected override void Release()
    {
        // A write in flight may read its segment a moment longer: forget the chunks rather than hand them to another pipe.
        if (_writing) _buffer.Abandon();
        else _buffer.Clear();
        try
        {
            _stream.Dispose();
        }
        catch (IOException)
        {
            // Disposing flushes nothing here (the stream is unbuffered), but a broken pipe may still be reported.
        }
    }
}
