using Twine.Defer;
using Twine.Net;

namespace Twine.Protocols;

/// <summary>
/// Sends a stream's contents to a consumer (usually a transport) one chunk at a time, as the consumer asks for more,
/// after Twisted's <c>FileSender</c> (FS1). It registers as a non-streaming (pull) producer, so the file is never read
/// faster than the connection drains.
/// </summary>
/// <remarks>
/// Each <see cref="ResumeProducing"/> reads up to <see cref="ChunkSize"/> bytes synchronously, so use it with local
/// files and memory streams, not with streams that may block for long.
/// </remarks>
/// <example>
/// <code>
/// public override void ConnectionMade()
/// {
///     var file = File.OpenRead("report.pdf");
///     new FileSender().BeginFileTransfer(file, Transport)
///         .AddBoth(_ => { file.Dispose(); Transport.LoseConnection(); });
/// }
/// </code>
/// </example>
public sealed class FileSender : IPullProducer
{
    /// <summary>The default <see cref="ChunkSize"/>: 16384 (2^14), as in Twisted.</summary>
    public const int DefaultChunkSize = 16384;

    private Stream? _file;
    private IConsumer? _consumer;
    private Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? _transform;
    private Deferred<byte?>? _deferred;
    private byte[]? _chunk;
    private int _chunkSize = DefaultChunkSize;

    /// <summary>The most bytes read and written per <see cref="ResumeProducing"/>. Default <see cref="DefaultChunkSize"/>.</summary>
    public int ChunkSize
    {
        get => _chunkSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _chunkSize = value;
            _chunk = null;
        }
    }

    /// <summary>The last byte written, or null if nothing (or only empty chunks) was written yet.</summary>
    public byte? LastSent { get; private set; }

    /// <summary>
    /// Registers with <paramref name="consumer"/> as a non-streaming producer and starts sending
    /// <paramref name="file"/>. The Deferred fires with the last byte sent (null for an empty file) once everything is
    /// written, or fails with <see cref="ConsumerStoppedException"/> if the consumer stops first (FS1).
    /// </summary>
    /// <param name="file">What to send; read from its current position to the end. Not disposed.</param>
    /// <param name="consumer">Where to write.</param>
    /// <param name="transform">Applied to each chunk before writing, for example to escape or encode it.</param>
    public Deferred<byte?> BeginFileTransfer(Stream file, IConsumer consumer, Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? transform = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(consumer);
        if (_deferred is not null) throw new InvalidOperationException("A transfer is already in progress.");
        _file = file;
        _consumer = consumer;
        _transform = transform;
        var deferred = _deferred = new Deferred<byte?>();
        consumer.RegisterProducer(this, streaming: false);
        return deferred;
    }

    /// <summary>Writes the next chunk, or at the end unregisters and fires the Deferred with the last byte sent (FS1).</summary>
    public void ResumeProducing()
    {
        var read = 0;
        if (_file is not null)
        {
            _chunk ??= new byte[ChunkSize];
            read = _file.Read(_chunk, 0, ChunkSize);
        }
        if (read == 0)
        {
            _file = null;
            _chunk = null;
            var consumer = _consumer;
            _consumer = null;
            consumer?.UnregisterProducer();
            if (_deferred is { } d)
            {
                _deferred = null;
                d.Callback(LastSent);
            }
            return;
        }

        ReadOnlyMemory<byte> data = _chunk.AsMemory(0, read);
        if (_transform is not null) data = _transform(data);
        _consumer!.Write(data.Span);
        LastSent = data.IsEmpty ? null : data.Span[^1];
    }

    /// <summary>Does nothing: a pull producer only writes when asked.</summary>
    public void PauseProducing() { }

    /// <summary>Fails the transfer's Deferred with <see cref="ConsumerStoppedException"/> (FS1).</summary>
    public void StopProducing()
    {
        _file = null;
        _consumer = null;
        if (_deferred is { } d)
        {
            _deferred = null;
            d.Errback(new ConsumerStoppedException());
        }
    }
}
