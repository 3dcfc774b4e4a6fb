using System.Runtime.CompilerServices;

namespace Twine.Net.Tls;

// The receiving half: the read loop over SslStream, pausing, close_notify and truncation.
public sealed partial class TlsProtocol
{
    private readonly Action _onRead;
    private ConfiguredValueTaskAwaitable<int>.ConfiguredValueTaskAwaiter _readAwaiter;
    private byte[]? _readBuffer;
    private int _heldCount;
    private bool _readPending;
    private bool _readEnded;
    private bool _readingPaused;
    private bool _pumping;
    private bool _pumpAgain;
    private bool _closeNotifyReceived;

    /// <summary>Stops delivering plaintext (and reading ciphertext from the transport) until <see cref="ResumeProducing"/>.</summary>
    public void PauseProducing()
    {
        CheckOwner(nameof(PauseProducing));
        if (_lost || _readingPaused) return;
        _readingPaused = true;
        // Before the handshake completes the session must keep reading; the pause takes hold when it does.
        if (_handshakeDone && !_underlyingLost) Underlying.PauseProducing();
    }

    /// <summary>Delivers plaintext again.</summary>
    public void ResumeProducing()
    {
        CheckOwner(nameof(ResumeProducing));
        if (_lost || !_readingPaused) return;
        _readingPaused = false;
        if (_handshakeDone && !_underlyingLost) Underlying.ResumeProducing();
        using var scope = InlineScope.Enter();
        PumpReads();
    }

    /// <summary>Reading stopped for good: closes the connection cleanly, as a TCP transport does.</summary>
    public void StopProducing() => LoseConnection();

    private bool CanRead => _handshakeDone && !_readPending && !_readEnded && !_lost && !_aborted
        && (!_readingPaused || _underlyingLost);

    /// <summary>
    /// Reads from the session while it has plaintext and the protocol wants it; leaves one read pending when it runs
    /// dry. Re-entrant calls (the protocol resuming inside its own <c>DataReceived</c>) just ask the running loop to go on.
    /// </summary>
    private void PumpReads()
    {
        if (_pumping)
        {
            _pumpAgain = true;
            return;
        }
        _pumping = true;
        try
        {
            do
            {
                _pumpAgain = false;
                if (_heldCount > 0 && (!_readingPaused || _underlyingLost) && !_lost) DeliverHeld();
                while (CanRead && _heldCount == 0)
                {
                    ValueTask<int> read;
                    using (InlineScope.Enter())
                    {
                        try
                        {
                            read = _ssl.ReadAsync(_readBuffer.AsMemory(0, ReadChunk));
                        }
                        catch (Exception ex)
                        {
                            read = ValueTask.FromException<int>(ex);
                        }
                    }
                    var awaiter = read.ConfigureAwait(false).GetAwaiter();
                    if (!awaiter.IsCompleted)
                    {
                        _readPending = true;
                        _readAwaiter = awaiter;
                        awaiter.UnsafeOnCompleted(_onRead);
                        break;
                    }
                    Complete(awaiter);
                }
            }
            while (_pumpAgain);
        }
        finally
        {
            _pumping = false;
        }
    }

    /// <summary>SslStream's pending read finished; this runs inline inside the <c>DataReceived</c> that fed it.</summary>
    private void OnReadCompleted()
    {
        CheckThread();
        _readPending = false;
        var awaiter = _readAwaiter;
        _readAwaiter = default;
        Complete(awaiter);
        PumpReads();
    }

    private void Complete(ConfiguredValueTaskAwaitable<int>.ConfiguredValueTaskAwaiter awaiter)
    {
        int n;
        try
        {
            n = awaiter.GetResult();
        }
        catch (Exception ex)
        {
            if (_lost) return;
            ReadFailed(ex);
            return;
        }
        if (_lost) return;
        if (n == 0)
        {
            ReadEnded();
            return;
        }
        _heldCount = n;
        // A read issued before the protocol paused can finish after it: keep the plaintext for ResumeProducing.
        if (!_readingPaused || _underlyingLost) DeliverHeld();
    }

    private void DeliverHeld()
    {
        int n = _heldCount;
        _heldCount = 0;
        try
        {
            _wrapped.DataReceived(_readBuffer.AsSpan(0, n));
        }
        catch (Exception ex)
        {
            FailWrapped("DataReceived", ex);
        }
    }

    /// <summary>The session reports end of data: the peer's close_notify, or the transport ended without one.</summary>
    private void ReadEnded()
    {
        _readEnded = true;
        if (ClosedByUs) return;
        if (_cipher.EndReturned)
        {
            _failure ??= new TlsTruncatedException("The peer closed the connection without sending TLS close_notify: the data may be truncated.");
            CloseUnderlying();
            return;
        }
        _closeNotifyReceived = true;
        if (_wrapped is IHalfCloseableProtocol halfCloseable && !_underlyingLost)
        {
            // TLS 1.3 (and 1.2 in practice) lets the other direction go on after one side's close_notify.
            try
            {
                halfCloseable.ReadConnectionLost();
            }
            catch (Exception ex)
            {
                FailWrapped("ReadConnectionLost", ex);
                return;
            }
            // Both directions have now said close_notify: nothing is left to carry.
            if (_writeShutDown) CloseUnderlying();
            return;
        }
        LoseConnection();
    }

    private void ReadFailed(Exception ex)
    {
        _readEnded = true;
        if (ClosedByUs) return;
        _failure ??= _cipher.EndReturned
            ? new TlsTruncatedException("The connection ended in the middle of a TLS record.", ex)
            : new TlsProtocolException($"Received data that is not a valid TLS record: {ex.Message}", ex);
        CloseUnderlying();
    }
}
