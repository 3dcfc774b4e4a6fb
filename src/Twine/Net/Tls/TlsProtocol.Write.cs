using System.Buffers;
using System.Runtime.CompilerServices;
using Twine.Logging;

namespace Twine.Net.Tls;

// The sending half: plaintext buffering, encryption through SslStream, producers (flow control) and closing.
public sealed partial class TlsProtocol
{
    /// <summary>A streaming producer is paused when more plaintext than this waits to be encrypted (during the handshake).</summary>
    private const int PlaintextHighWater = 64 * 1024;

    private readonly Action _onWrite;
    private ArrayBufferWriter<byte> _plain = new();
    private ArrayBufferWriter<byte> _inFlight = new();
    private ConfiguredValueTaskAwaitable.ConfiguredValueTaskAwaiter _writeAwaiter;
    private bool _writing;
    private bool _writeFailed;

    /// <summary>Counts the session's writes to the transport below, so a read can tell it produced a handshake flight.</summary>
    private long _ciphertextWrites;

    private IProducer? _producer;
    private TlsProducerMembrane? _membrane;
    private bool _producerPaused;
    private bool _underlyingPaused;
    private bool _pullWanted;

    private bool _disconnecting;
    private bool _writeShutdownRequested;
    private bool _writeShutDown;
    private bool _closeNotifySent;

    /// <inheritdoc />
    public long PendingPlaintext => _plain.WrittenCount + (_writing ? _inFlight.WrittenCount : 0);

    /// <summary>
    /// Encrypts <paramref name="data"/> and writes the records to the transport below; before the handshake completes
    /// (or while an encryption is still running) the plaintext is kept and sent in order afterwards.
    /// </summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        CheckOwner(nameof(Write));
        if (!Writable || data.IsEmpty) return;
        _plain.Write(data);
        FlushPlaintext();
        UpdateProducer();
    }

    /// <inheritdoc />
    public void WriteSequence(IEnumerable<ReadOnlyMemory<byte>> data)
    {
        CheckOwner(nameof(WriteSequence));
        ArgumentNullException.ThrowIfNull(data);
        if (!Writable) return;
        // One record sequence for the lot: buffered first, then encrypted in one go.
        foreach (var chunk in data) _plain.Write(chunk.Span);
        FlushPlaintext();
        UpdateProducer();
    }

    /// <summary>
    /// Whether a write is taken. As in Twisted's TLS (TLS8), nothing written after <see cref="LoseConnection"/> is sent
    /// unless a producer is still registered: close_notify must be the last thing on the wire.
    /// </summary>
    private bool Writable => !_lost && !_aborted && !_closeNotifySent && !_writeFailed && (!_disconnecting || _producer is not null);

    private bool CanEncrypt => _handshakeDone && !_writing && !_lost && !_underlyingLost && !_aborted && !_writeFailed && _failure is null;

    /// <summary>Hands the kept plaintext to the session; it normally encrypts at once, straight into the transport.</summary>
    private void FlushPlaintext()
    {
        while (CanEncrypt && _plain.WrittenCount > 0)
        {
            (_plain, _inFlight) = (_inFlight, _plain);
            _writing = true;
            ValueTask write;
            using (InlineScope.Enter())
            {
                try
                {
                    write = _ssl.WriteAsync(_inFlight.WrittenMemory);
                }
                catch (Exception ex)
                {
                    write = ValueTask.FromException(ex);
                }
            }
            var awaiter = write.ConfigureAwait(false).GetAwaiter();
            if (!awaiter.IsCompleted)
            {
                // SslStream is waiting for something (a renegotiation): the rest waits behind it.
                _writeAwaiter = awaiter;
                awaiter.UnsafeOnCompleted(_onWrite);
                return;
            }
            WriteDone(awaiter);
        }
        if (_pullWanted && CanEncrypt && _plain.WrittenCount == 0 && _producer is not null)
        {
            _pullWanted = false;
            PullWrapped();
        }
        TryFinishClose();
    }

    private void OnWriteCompleted()
    {
        CheckThread();
        var awaiter = _writeAwaiter;
        _writeAwaiter = default;
        WriteDone(awaiter);
        FlushPlaintext();
        UpdateProducer();
    }

    private void WriteDone(ConfiguredValueTaskAwaitable.ConfiguredValueTaskAwaiter awaiter)
    {
        _writing = false;
        // Keep the buffer for reuse unless one huge write grew it: then let it go.
        if (_inFlight.Capacity > 1024 * 1024) _inFlight = new ArrayBufferWriter<byte>();
        else _inFlight.ResetWrittenCount();
        try
        {
            awaiter.GetResult();
        }
        catch (Exception ex)
        {
            if (_lost) return;
            _writeFailed = true;
            _failure ??= new TlsException($"Could not encrypt data for the peer: {ex.Message}", ex);
            CloseUnderlying();
        }
    }

    /// <summary>Ciphertext from the session: straight into the transport below, which copies it.</summary>
    private void WriteCiphertext(ReadOnlySpan<byte> data)
    {
        if (_underlyingLost || _lost) return;
        _ciphertextWrites++;
        _underlying!.Write(data);
    }

    /// <summary>
    /// Attaches a producer to this connection. It is registered with the transport below through a membrane, so a full
    /// socket buffer pauses it; it is also paused while more than 64 KiB of plaintext waits for the handshake.
    /// </summary>
    /// <exception cref="InvalidOperationException">A producer is already registered.</exception>
    /// <exception cref="ArgumentException">The producer does not implement the interface <paramref name="streaming"/> calls for.</exception>
    public void RegisterProducer(IProducer producer, bool streaming)
    {
        CheckOwner(nameof(RegisterProducer));
        ArgumentNullException.ThrowIfNull(producer);
        if (_producer is not null)
            throw new InvalidOperationException($"Cannot register producer {producer}, because producer {_producer} was never unregistered.");
        if (streaming && producer is not IPushProducer)
            throw new ArgumentException("A streaming producer must implement IPushProducer.", nameof(producer));
        if (!streaming && producer is not (IPullProducer or IPushProducer))
            throw new ArgumentException("A non-streaming producer must implement IPullProducer (or IPushProducer).", nameof(producer));
        if (_lost || _underlyingLost)
        {
            producer.StopProducing();
            return;
        }
        _producer = producer;
        _producerPaused = false;
        _underlyingPaused = false;
        _membrane = new TlsProducerMembrane(this, streaming);
        Underlying.RegisterProducer(_membrane, streaming);
        UpdateProducer();
    }

    /// <inheritdoc />
    public void UnregisterProducer()
    {
        CheckOwner(nameof(UnregisterProducer));
        if (_producer is null) throw new InvalidOperationException("Cannot unregister a producer unless one is registered.");
        _producer = null;
        _membrane = null;
        _pullWanted = false;
        if (!_underlyingLost && !_lost) Underlying.UnregisterProducer();
        TryFinishClose();
    }

    /// <summary>The transport below paused (true) or resumed (false) the membrane: its buffer is full or drained.</summary>
    internal void OnUnderlyingPaused(TlsProducerMembrane membrane, bool paused)
    {
        if (membrane != _membrane) return;
        _underlyingPaused = paused;
        UpdateProducer();
    }

    /// <summary>The transport below asks a non-streaming producer for more: passed on once the plaintext has gone out.</summary>
    internal void OnUnderlyingPull(TlsProducerMembrane membrane)
    {
        if (membrane != _membrane) return;
        if (CanEncrypt && _plain.WrittenCount == 0) PullWrapped();
        else _pullWanted = true;
    }

    /// <summary>The transport below is closing and stops the membrane.</summary>
    internal void OnUnderlyingStopped(TlsProducerMembrane membrane)
    {
        if (membrane != _membrane) return;
        StopWrappedProducer();
    }

    private void PullWrapped()
    {
        var producer = _producer!;
        try
        {
            if (producer is IPullProducer pull) pull.ResumeProducing();
            else ((IPushProducer)producer).ResumeProducing();
        }
        catch (Exception ex)
        {
            FailWrapped($"producer {producer}.ResumeProducing", ex);
        }
    }

    /// <summary>Pauses a streaming producer while the transport below is full or plaintext piles up; resumes it after.</summary>
    private void UpdateProducer()
    {
        if (_producer is not IPushProducer push || _membrane is not { Streaming: true } || _lost) return;
        bool full = _underlyingPaused || PendingPlaintext > PlaintextHighWater;
        if (full == _producerPaused) return;
        _producerPaused = full;
        try
        {
            if (full) push.PauseProducing();
            else push.ResumeProducing();
        }
        catch (Exception ex)
        {
            FailWrapped($"producer {push}.{(full ? "PauseProducing" : "ResumeProducing")}", ex);
        }
    }

    private void StopWrappedProducer()
    {
        if (_producer is not { } producer) return;
        _producer = null;
        _membrane = null;
        try
        {
            producer.StopProducing();
        }
        catch (Exception ex)
        {
            Log.Error(LogEventId.ProducerStopFailed, typeof(TlsProtocol), $"Unhandled error stopping producer {producer} of {this}", ex);
        }
    }

    /// <summary>
    /// <see cref="LoseConnection"/> (close_notify, then the underlying connection closes), completing once the wrapped
    /// protocol's <c>ConnectionLost</c> has run.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        var wait = _lossSignal.Wait();
        if (!wait.IsCompleted) LoseConnection();
        return wait;
    }

    /// <summary>Sends what is pending, then close_notify, then closes the transport below (cleanly).</summary>
    public void LoseConnection()
    {
        CheckOwner(nameof(LoseConnection));
        if (_lost || _disconnecting) return;
        _disconnecting = true;
        TryFinishClose();
    }

    /// <summary>
    /// TLS half-close: sends what is pending, then close_notify, then shuts down the transport's sending direction;
    /// reading goes on until the peer's close_notify. A half-closeable protocol hears <c>WriteConnectionLost</c>.
    /// </summary>
    public void LoseWriteConnection()
    {
        CheckOwner(nameof(LoseWriteConnection));
        if (_lost || _writeShutdownRequested) return;
        _writeShutdownRequested = true;
        TryFinishClose();
    }

    /// <summary>Closes at once, discarding what is pending and without close_notify (the peer sees a truncation).</summary>
    public void AbortConnection()
    {
        CheckOwner(nameof(AbortConnection));
        if (_lost || _aborted) return;
        _aborted = true;
        _disconnecting = true;
        if (!_underlyingLost) Underlying.AbortConnection();
    }

    /// <summary>Takes the next closing step once the plaintext has gone out and no producer is registered.</summary>
    private void TryFinishClose()
    {
        if (_lost || _underlyingLost || _aborted || !(_disconnecting || _writeShutdownRequested)) return;
        if (_failure is not null)
        {
            CloseUnderlying();
            return;
        }
        if (_plain.WrittenCount > 0 || _writing || _producer is not null) return;
        if (!_handshakeDone)
        {
            // Nothing to send and no session yet: close_notify needs one, so just close. With plaintext still waiting,
            // the handshake's completion calls this again.
            if (_disconnecting) Underlying.LoseConnection();
            return;
        }
        if (!_closeNotifySent)
        {
            _closeNotifySent = true;
            SendCloseNotify();
        }
        if (_disconnecting)
        {
            Underlying.LoseConnection();
        }
        else if (!_writeShutDown)
        {
            _writeShutDown = true;
            // The peer already said close_notify: with both directions finished, close instead of half-closing.
            if (_closeNotifyReceived) Underlying.LoseConnection();
            else Underlying.LoseWriteConnection();
            if (_wrapped is IHalfCloseableProtocol halfCloseable)
            {
                try
                {
                    halfCloseable.WriteConnectionLost();
                }
                catch (Exception ex)
                {
                    FailWrapped("WriteConnectionLost", ex);
                }
            }
        }
    }

    private void SendCloseNotify()
    {
        using var scope = InlineScope.Enter();
        try
        {
            // The alert goes through CipherStream's synchronous write, so it is in the transport's buffer on return.
            var shutdown = _ssl.ShutdownAsync();
            if (shutdown.IsFaulted) Log.Error(LogEventId.TlsCloseNotifyFailed, typeof(TlsProtocol), $"Could not send TLS close_notify on {this}", shutdown.Exception!.InnerException ?? shutdown.Exception);
        }
        catch (Exception ex)
        {
            Log.Error(LogEventId.TlsCloseNotifyFailed, typeof(TlsProtocol), $"Could not send TLS close_notify on {this}", ex);
        }
    }
}
