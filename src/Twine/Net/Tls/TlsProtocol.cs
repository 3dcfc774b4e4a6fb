using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Twine.Defer;
using Twine.Logging;
using Twine.Threading;

namespace Twine.Net.Tls;

/// <summary>
/// TLS as a layer, after Twisted's <c>TLSMemoryBIOProtocol</c>: a protocol to the transport below (it receives and
/// writes ciphertext) and a transport to the protocol it wraps (which reads and writes plaintext). It works over any
/// <see cref="ITransport"/> — TCP, Unix sockets, Twine.Testing's in-memory pumps — because it only uses that interface.
/// </summary>
/// <remarks>
/// <para>The cryptography is the platform's, through <see cref="SslStream"/> over an in-memory <see cref="CipherStream"/>.
/// Everything runs on the thread that delivers the transport's events (the reactor thread): ciphertext handed to
/// <see cref="DataReceived"/> completes <see cref="SslStream"/>'s pending read inline, which decrypts and delivers the
/// plaintext before <see cref="DataReceived"/> returns. No thread, task or timer is started per connection.</para>
/// <para>The wrapped protocol is connected at once; what it writes before the handshake completes is kept and sent
/// after. <see cref="LoseConnection"/> sends what is pending, then close_notify, then closes the transport. A peer
/// that closes without close_notify ends the connection with <see cref="TlsTruncatedException"/>, never with
/// <see cref="ConnectionDoneException"/>.</para>
/// </remarks>
/// <example>
/// <code>
/// var options = TlsServerOptions.FromPemFiles("cert.pem", "key.pem");
/// reactor.ListenTcp(8443, TlsFactory.ForServer(options, Factory.ForProtocol&lt;Echo&gt;()));
///
/// // or by hand, over any transport (here Twine.Testing's in-memory pump):
/// var pair = LoopbackPump.Connect(TlsProtocol.ForServer(new Echo(), options),
///                                 TlsProtocol.ForClient(new Client(), new TlsClientOptions { HostName = "localhost" }));
/// </code>
/// </example>
public sealed partial class TlsProtocol : IHalfCloseableProtocol, ITlsTransport, IProtocolWrapper, IReactorThreadOwned
{
    /// <summary>Plaintext read per <see cref="SslStream"/> read: one full record.</summary>
    private const int ReadChunk = 16 * 1024;

    private readonly IProtocol _wrapped;
    private readonly TlsServerOptions? _server;
    private readonly TlsClientOptions? _client;
    private readonly bool _connectWrapped;
    private readonly PeerCertificateCheck _check;

    private ITransport? _underlying;
    private CipherStream _cipher = null!;
    private SslStream _ssl = null!;
    private string? _serverName;

    private int _thread;
    private ReactorThread? _owner;
    private bool _handshakeDone;
    private bool _underlyingLost;
    private bool _lost;
    private readonly ConnectionLossSignal _lossSignal = new();
    private bool _aborted;
    private Exception? _failure;

    private TlsProtocol(IProtocol wrapped, TlsServerOptions? server, TlsClientOptions? client, bool connectWrapped)
    {
        _wrapped = wrapped;
        _server = server;
        _client = client;
        _connectWrapped = connectWrapped;
        _check = client is not null
            ? new PeerCertificateCheck(client.HostName is null ? "the server" : $"'{client.HostName}'", client.VerifyCertificate, certificateOptional: false)
            : new PeerCertificateCheck("the client", verify: true, certificateOptional: server!.ClientCertificates != ClientCertificateMode.Required);
        _onRead = OnReadCompleted;
        _onWrite = OnWriteCompleted;
    }

    /// <summary>Wraps <paramref name="wrapped"/> as the server side of a TLS connection.</summary>
    public static TlsProtocol ForServer(IProtocol wrapped, TlsServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        ArgumentNullException.ThrowIfNull(options);
        return new TlsProtocol(wrapped, options, null, connectWrapped: true);
    }

    /// <summary>Wraps <paramref name="wrapped"/> as the client side of a TLS connection.</summary>
    /// <exception cref="ArgumentException">The options verify the certificate but name no host.</exception>
    public static TlsProtocol ForClient(IProtocol wrapped, TlsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        ArgumentNullException.ThrowIfNull(options);
        if (options.HostName is null && options.VerifyCertificate)
            throw new ArgumentException("TlsClientOptions.HostName must be set to verify the server's certificate (or set VerifyCertificate = false).", nameof(options));
        return new TlsProtocol(wrapped, null, options, connectWrapped: true);
    }

    /// <summary>The layer for <see cref="TlsTransportExtensions.StartTls(ITransport, TlsServerOptions)"/>: the wrapped protocol is already connected.</summary>
    internal static TlsProtocol ForStartTls(IProtocol wrapped, TlsServerOptions? server, TlsClientOptions? client) =>
        new(wrapped, server, client, connectWrapped: false);

    /// <summary>The protocol that reads and writes plaintext.</summary>
    public IProtocol Wrapped => _wrapped;

    /// <summary>True for the client side.</summary>
    public bool IsClient => _client is not null;

    /// <summary>Ciphertext received and not yet decrypted (tests: bounded while reading is paused).</summary>
    internal int PendingCiphertext => _cipher?.Buffered ?? 0;

    /// <summary>Ciphertext buffered by the transport below when it is a socket (tests: bounded under back-pressure).</summary>
    internal long UnderlyingBufferedBytes => (_underlying as ISocketTransport)?.BufferedBytes ?? 0;

    /// <inheritdoc />
    ReactorThread? IReactorThreadOwned.OwnerThread => _owner;

    /// <summary>How the thread rule names this transport in its message.</summary>
    private const string Owner = "this TLS transport";

    /// <summary>The thread rule (TH7): the layer's state belongs to the reactor thread, as the transport below does.</summary>
    private void CheckOwner(string member) => _owner?.Check(member, Owner);

    /// <inheritdoc />
    public EndPoint Peer => Underlying.Peer;

    /// <inheritdoc />
    public EndPoint Host => Underlying.Host;

    /// <inheritdoc />
    public bool Disconnecting => _disconnecting || _aborted || _lost;

    /// <inheritdoc />
    public bool IsHandshakeComplete => _handshakeDone;

    /// <inheritdoc />
    public string? NegotiatedApplicationProtocol
    {
        get
        {
            if (!_handshakeDone) return null;
            var alpn = _ssl.NegotiatedApplicationProtocol;
            return alpn.Protocol.IsEmpty ? null : alpn.ToString();
        }
    }

    /// <inheritdoc />
    public SslProtocols NegotiatedProtocol => _handshakeDone ? _ssl.SslProtocol : SslProtocols.None;

    /// <inheritdoc />
    public TlsCipherSuite NegotiatedCipherSuite => _handshakeDone ? _ssl.NegotiatedCipherSuite : default;

    /// <inheritdoc />
    public string? ServerName => _client is not null ? _client.HostName : _serverName;

    /// <inheritdoc />
    public X509Certificate2? PeerCertificate => _handshakeDone ? _ssl.RemoteCertificate as X509Certificate2 : null;

    private ITransport Underlying => _underlying ?? throw new InvalidOperationException("The TLS layer is not connected to a transport yet.");

    /// <summary>Creates the TLS session over <paramref name="transport"/>, connects the wrapped protocol and starts the handshake.</summary>
    public void MakeConnection(ITransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        if (_underlying is not null) throw new InvalidOperationException("A TLS layer serves one connection only.");
        _underlying = transport;
        _thread = Environment.CurrentManagedThreadId;
        // The thread rule (TH7) of the transport below, or of the reactor whose loop is making this connection; none
        // over in-memory test transports driven outside a reactor, which have no rule either.
        _owner = (transport as IReactorThreadOwned)?.OwnerThread
            ?? (SynchronizationContext.Current as IReactorThreadOwned)?.OwnerThread;
        _cipher = new CipherStream(WriteCiphertext);
        _ssl = new SslStream(_cipher, leaveInnerStreamOpen: false);
        _readBuffer = ArrayPool<byte>.Shared.Rent(ReadChunk);
        // A protocol that throws here is the transport's to report, exactly as without TLS.
        if (_connectWrapped) _wrapped.MakeConnection(this);
        if (_lost || _aborted) return;
        StartHandshake();
    }

    /// <summary>Ciphertext from the transport: feeds the session, which decrypts and delivers inline.</summary>
    public void DataReceived(ReadOnlySpan<byte> data)
    {
        if (_lost || _underlying is null) return;
        bool handshaking = !_handshakeDone;
        long written = _ciphertextWrites;
        using (InlineScope.Enter()) _cipher.Feed(data);
        if (handshaking && written != _ciphertextWrites) SendFlightNow();
    }

    /// <summary>
    /// A handshake flight is in the transport's buffer: send it now rather than in the loop's flush phase. The flight
    /// cost a signature or a key exchange (hundreds of microseconds); when several handshakes are read in one
    /// iteration, waiting for the flush phase would hold each peer's flight until every other handshake's work had run
    /// too, and the peers' next step with it. Data records keep the flush phase's batching.
    /// </summary>
    private void SendFlightNow()
    {
        if (_underlyingLost || _lost) return;
        (_underlying as IImmediateSend)?.SendNow();
    }

    /// <summary>The transport's peer finished sending (TCP FIN): end of ciphertext.</summary>
    public void ReadConnectionLost()
    {
        if (_lost) return;
        using (InlineScope.Enter()) _cipher.FeedEnd();
        // A clean TLS half-close (close_notify first) leaves a half-closeable protocol writing; anything else ends here.
        if (_closeNotifyReceived && _wrapped is IHalfCloseableProtocol && !_disconnecting) return;
        if (_handshakeDone && !_closeNotifyReceived && !_readEnded) return;   // the read loop reports the truncation
        CloseUnderlying();
    }

    /// <summary>The transport's own sending direction was shut down (after our close_notify on a half-close).</summary>
    public void WriteConnectionLost()
    {
    }

    /// <summary>The transport closed: delivers what was still decrypted, then tells the wrapped protocol why, cleanly or not.</summary>
    public void ConnectionLost(Failure reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        if (_lost) return;
        _underlyingLost = true;
        var earlier = _failure;
        if (_underlying is not null)
        {
            using var scope = InlineScope.Enter();
            _cipher.FeedEnd();
            PumpReads();   // delivers what is left even if paused: nothing more will ever come
        }
        Failure final;
        if (earlier is not null) final = new Failure(earlier);
        else if (reason.Value is not ConnectionDoneException) final = reason;   // a reset or abort says more than what followed
        else if (_failure is not null) final = new Failure(_failure);
        else if (_closeNotifyReceived || ClosedByUs || (!_handshakeDone && _disconnecting)) final = reason;
        else final = new Failure(new TlsTruncatedException(_handshakeDone
            ? "The peer closed the connection without sending TLS close_notify: the data may be truncated."
            : "The peer closed the connection during the TLS handshake."));
        Finish(final);
    }

    /// <summary>This side sent close_notify and closed: whatever the peer does afterwards cannot truncate anything.</summary>
    private bool ClosedByUs => _disconnecting && _closeNotifySent;

    private void Finish(Failure reason)
    {
        _lost = true;
        StopWrappedProducer();
        if (_underlying is not null)
        {
            using var scope = InlineScope.Enter();
            try
            {
                _cipher.FeedEnd();   // lets a pending SslStream read unwind and return its buffers
                _ssl.Dispose();
            }
            catch (Exception ex)
            {
                Log.Error(LogEventId.TlsSessionDisposeFailed, typeof(TlsProtocol), $"Unhandled error disposing the TLS session of {this}", ex);
            }
        }
        // The session is disposed and its pending read unwound: nothing writes into the buffer any more.
        if (_readBuffer is { } buffer)
        {
            _readBuffer = null;
            _heldCount = 0;
            ArrayPool<byte>.Shared.Return(buffer);
        }
        try
        {
            _wrapped.ConnectionLost(reason);
        }
        catch (Exception ex)
        {
            Log.Error(LogEventId.ConnectionLostFailed, typeof(TlsProtocol), $"Unhandled error in {LogPrefix}.ConnectionLost on {this}", ex);
        }
        _lossSignal.Complete();
    }

    private void StartHandshake()
    {
        Task task;
        using (InlineScope.Enter())
        {
            try
            {
                task = _client is not null
                    ? _ssl.AuthenticateAsClientAsync(_client.Build(_check))
                    : _ssl.AuthenticateAsServerAsync(static (_, hello, state, _) => ((TlsProtocol)state!).SelectServerOptions(hello), this);
            }
            catch (Exception ex)
            {
                task = Task.FromException(ex);
            }
        }
        if (task.IsCompleted) OnHandshakeDone(task);
        else task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(() => OnHandshakeDone(task));
        // The client's hello (its key share made) is the first flight.
        if (_ciphertextWrites > 0) SendFlightNow();
    }

    private ValueTask<SslServerAuthenticationOptions> SelectServerOptions(SslClientHelloInfo hello)
    {
        _serverName = string.IsNullOrEmpty(hello.ServerName) ? null : hello.ServerName;
        return new ValueTask<SslServerAuthenticationOptions>(_server!.Build(_serverName, _check));
    }

    private void OnHandshakeDone(Task task)
    {
        CheckThread();
        if (task.IsFaulted)
        {
            var error = task.Exception!.InnerException ?? task.Exception;
            if (_lost) return;
            // Closing before the handshake completed is our own doing, not the peer's failure.
            if (!(_underlyingLost && _disconnecting)) _failure ??= TlsFailures.Handshake(error, _check, _cipher.EndReturned, IsClient);
            CloseUnderlying();
            return;
        }
        if (_lost) return;
        _handshakeDone = true;
        if (_readingPaused && !_underlyingLost) Underlying.PauseProducing();
        if (_wrapped is ITlsHandshakeListener listener)
        {
            try
            {
                listener.HandshakeCompleted();
            }
            catch (Exception ex)
            {
                FailWrapped("HandshakeCompleted", ex);
                return;
            }
        }
        FlushPlaintext();
        PumpReads();
        TryFinishClose();
    }

    /// <summary>
    /// Every SslStream continuation must run inline on the connection's thread (see <see cref="InlineScope"/>). If the
    /// runtime ever dispatched one elsewhere, say so loudly rather than corrupt the connection's state in silence.
    /// </summary>
    private void CheckThread()
    {
        if (Environment.CurrentManagedThreadId != _thread)
            Log.Error(LogEventId.TlsThreadViolation, typeof(TlsProtocol), $"TLS continuation of {this} ran on thread {Environment.CurrentManagedThreadId}, not the connection's thread {_thread}: this is a bug in Twine's TLS layer.");
    }

    /// <summary>Closes the transport below (flushing any alert the session wrote) unless it is already gone.</summary>
    private void CloseUnderlying()
    {
        if (_underlyingLost || _lost || _underlying is null) return;
        _underlying.LoseConnection();
    }

    /// <summary>The wrapped protocol threw: log, close this connection at once, and report that exception.</summary>
    private void FailWrapped(string where, Exception ex)
    {
        Log.Error(LogEventId.ProtocolCallbackFailed, typeof(TlsProtocol), $"Unhandled error in {LogPrefix}.{where} on {this}; closing the connection", ex);
        _failure ??= ex;
        if (_underlyingLost || _lost || _aborted) return;
        _aborted = true;
        Underlying.AbortConnection();
    }

    private string LogPrefix => _wrapped is Protocol p ? p.LogPrefix : _wrapped.GetType().Name;

    /// <summary>The layer, for log messages.</summary>
    public override string ToString() => $"<TlsProtocol {(IsClient ? "client" : "server")} over {_underlying}>";
}
