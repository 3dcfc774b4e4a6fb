using Twine.Defer;
using Twine.Net;
using Twine.Reactors.Io;

namespace Twine.Processes;

/// <summary>
/// A pipe read through a stream (a child's output on the portable layer, StandardIO off Linux): one read at a time on the stream (the runtime
/// completes it on its own threads), each completion posted to the loop, where the bytes go to the owner and the next
/// read starts. Pausing starts no further read, so the child blocks on its full pipe as with the native layer.
/// </summary>
/// <remarks>
/// A read already in flight when the protocol pauses may still complete: its bytes are then held (in this pipe's own
/// buffer, which no other read uses meanwhile) and delivered on a turn after <see cref="Resume"/>, so a paused
/// protocol never hears data, as on the native layer.
/// </remarks>
internal sealed class StreamPipeReader : IPipeReader
{
    private const int BufferSize = 64 * 1024;

    private static readonly Action<(StreamPipeReader Reader, Task<int> Read)> s_completed = static s => s.Reader.Completed(s.Read);
    private static readonly Action<StreamPipeReader> s_deliverHeld = static r => r.DeliverHeld();

    private readonly IIoLoop _loop;
    private readonly Stream _stream;
    private readonly IPipeOwner _owner;
    private readonly byte[] _buffer = new byte[BufferSize];
    private bool _reading;
    private bool _paused;
    private int _held;

    public StreamPipeReader(IIoLoop loop, Stream stream, int childFd, IPipeOwner owner)
    {
        _loop = loop;
        _stream = stream;
        ChildFd = childFd;
        _owner = owner;
    }

    /// <summary>The child's descriptor number this pipe serves.</summary>
    public int ChildFd { get; }

    /// <summary>True once closed.</summary>
    public bool Closed { get; private set; }

    public void Start(bool paused)
    {
        _paused = paused;
        ReadNext();
    }

    public void Pause() => _paused = true;

    public void Resume()
    {
        if (!_paused || Closed) return;
        _paused = false;
        // Deliver on a later turn: Resume is usually called from inside the protocol, which must not be re-entered.
        if (_held > 0) _loop.Post(s_deliverHeld, this);
        else ReadNext();
    }

    private void ReadNext()
    {
        if (_reading || _paused || Closed || _held > 0) return;
        _reading = true;
        Task<int> read;
        try
        {
            read = _stream.ReadAsync(_buffer, 0, _buffer.Length);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            read = Task.FromException<int>(ex);
        }
        read.ContinueWith(static (t, state) =>
        {
            var reader = (StreamPipeReader)state!;
            try
            {
                reader._loop.Post(s_completed, (reader, t));
            }
            catch (ObjectDisposedException)
            {
                // The reactor is gone; the stream was closed with it.
            }
        }, this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Completed(Task<int> read)
    {
        _reading = false;
        if (Closed) return;
        if (!read.IsCompletedSuccessfully)
        {
            var error = read.Exception?.InnerException ?? new IOException("The read was cancelled.");
            Close(new Failure(new ConnectionLostException($"Reading child descriptor {ChildFd} failed: {error.Message}")));
            return;
        }
        if (read.Result == 0)
        {
            Close(Protocol.ConnectionDone);
            return;
        }
        _held = read.Result;
        if (!_paused) DeliverHeld();
    }

    private void DeliverHeld()
    {
        if (Closed || _paused || _held == 0) return;
        int n = _held;
        _held = 0;
        try
        {
            _owner.PipeData(ChildFd, new ReadOnlySpan<byte>(_buffer, 0, n));
        }
        catch (Exception ex)
        {
            _owner.ProtocolFailed("ChildDataReceived", ex);
        }
        ReadNext();
    }

    /// <summary>Closes the stream now and tells the owner (once). A read in flight finishes into nothing.</summary>
    public void Close(Failure reason)
    {
        if (Closed) return;
        Closed = true;
        _held = 0;
        _stream.Dispose();
        _owner.PipeClosed(ChildFd, reason);
    }
}
