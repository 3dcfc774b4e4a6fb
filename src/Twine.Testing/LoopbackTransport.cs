using System.Buffers;
using System.Net;
using Twine.Defer;
using Twine.Net;

namespace Twine.Testing;

/// <summary>
/// One end of an in-memory connection made by <see cref="LoopbackPump"/>: it behaves like a TCP transport (buffered
/// writes, clean close after the buffer drains, abort, half-close, flow control in both directions), but bytes only
/// move when the pump runs.
/// </summary>
/// <remarks>
/// <para>Writes go to an outgoing buffer. A streaming producer is paused when the buffer holds more than
/// <see cref="BufferSize"/> bytes and resumed when the pump drains it; a non-streaming producer is asked for more
/// (<see cref="IPullProducer.ResumeProducing"/>) when it registers and each time the buffer drains, as a real transport
/// does. Pausing the transport stops delivering received bytes to its protocol; they wait here.</para>
/// </remarks>
/// <example>
/// <code>
/// var pair = LoopbackPump.Connect(new EchoServer(), new Client());
/// pair.ClientTransport.Write("hi"u8);
/// pair.Flush();                                  // the server echoed, the client received "hi"
/// pair.ServerTransport.PauseProducing();         // the server stops reading
/// </code>
/// </example>
public sealed class LoopbackTransport : ISwitchableTransport
{
    private readonly ArrayBufferWriter<byte> _outgoing = new();
    private ArrayBufferWriter<byte> _incoming = new();
    private ArrayBufferWriter<byte>? _spare = new();
    private readonly ProducerSlot _producer = new();
    private bool _abortRequested;
    private bool _writeShutdownRequested;
    private bool _peerFinishedWriting;

    internal LoopbackTransport(EndPoint host, EndPoint peer)
    {
        Host = host;
        Peer = peer;
    }

    internal LoopbackTransport Other { get; set; } = null!;

    /// <summary>The protocol this transport drives.</summary>
    public IProtocol Protocol { get; internal set; } = null!;

    /// <summary>Drives <paramref name="protocol"/> from now on (STARTTLS puts a TLS layer in between).</summary>
    public void SwitchProtocol(IProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        Protocol = protocol;
    }

    /// <inheritdoc />
    public EndPoint Host { get; }

    /// <inheritdoc />
    public EndPoint Peer { get; }

    /// <summary>The high-water mark: a streaming producer is paused when more than this many bytes wait to be sent. Default 64 KiB.</summary>
    public int BufferSize { get; set; } = 64 * 1024;

    /// <inheritdoc />
    public bool Disconnecting { get; private set; }

    /// <summary>True once the protocol's <see cref="IProtocol.ConnectionLost"/> has been called.</summary>
    public bool Closed { get; private set; }

    private readonly ConnectionLossSignal _lossSignal = new();

    /// <summary>What <see cref="IProtocol.ConnectionLost"/> was called with, once <see cref="Closed"/>.</summary>
    public Failure? CloseReason { get; private set; }

    /// <summary>True once the sending direction was shut down after <see cref="LoseWriteConnection"/>.</summary>
    public bool WriteClosed { get; private set; }

    /// <summary>True once the protocol was told the peer finished writing.</summary>
    public bool ReadClosed { get; private set; }

    /// <summary>True while reading is paused (<see cref="PauseProducing"/>).</summary>
    public bool ReadingPaused { get; private set; }

    /// <summary>The registered producer, or null.</summary>
    public IProducer? Producer => _producer.Producer;

    /// <summary>Whether the registered producer is streaming.</summary>
    public bool Streaming => _producer.Streaming;

    /// <summary>Bytes written and not yet moved by the pump.</summary>
    public int PendingOutgoing => _outgoing.WrittenCount;

    /// <summary>Bytes received and not yet delivered (waiting while reading is paused).</summary>
    public int PendingIncoming => _incoming.WrittenCount;

    /// <summary>Queues <paramref name="data"/>; ignored once the connection or its sending direction is closed.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        if (Closed || WriteClosed || _abortRequested || data.IsEmpty) return;
        _outgoing.Write(data);
        _producer.Written(_outgoing.WrittenCount, BufferSize);
    }

    /// <summary>Queues each buffer in order.</summary>
    public void WriteSequence(IEnumerable<ReadOnlyMemory<byte>> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        foreach (var chunk in data) Write(chunk.Span);
    }

    /// <summary>Closes cleanly once the pump has sent what is buffered.</summary>
    public void LoseConnection() => Disconnecting = true;

    /// <summary><see cref="LoseConnection"/>, completing once the pump has delivered the loss to the protocol.</summary>
    public ValueTask DisposeAsync()
    {
        var wait = _lossSignal.Wait();
        if (!wait.IsCompleted) LoseConnection();
        return wait;
    }

    /// <summary>Shuts down the sending direction once the pump has sent what is buffered.</summary>
    public void LoseWriteConnection() => _writeShutdownRequested = true;

    /// <summary>Discards the buffer; on the next pump both sides lose the connection (this one with <see cref="ConnectionAbortedException"/>).</summary>
    public void AbortConnection()
    {
        Disconnecting = true;
        _abortRequested = true;
        _outgoing.Clear();
    }

    /// <summary>Attaches a producer; a non-streaming one is asked for data at once. On a closed transport the producer is stopped instead.</summary>
    /// <exception cref="InvalidOperationException">A producer is already registered.</exception>
    /// <exception cref="ArgumentException">The producer does not implement the interface <paramref name="streaming"/> calls for.</exception>
    public void RegisterProducer(IProducer producer, bool streaming) => _producer.Register(producer, streaming, Closed);

    /// <summary>Detaches the producer (allowed at any time, as on a real transport).</summary>
    public void UnregisterProducer() => _producer.Unregister();

    /// <summary>Stops delivering received bytes to the protocol until <see cref="ResumeProducing"/>.</summary>
    public void PauseProducing() => ReadingPaused = true;

    /// <summary>Delivers received bytes again (on the next pump).</summary>
    public void ResumeProducing() => ReadingPaused = false;

    /// <summary>Closes the connection, as a real transport does when its reading is stopped for good.</summary>
    public void StopProducing() => LoseConnection();

    /// <summary>Moves this side's outgoing bytes to the other side; true if any moved.</summary>
    internal bool Transfer()
    {
        if (_outgoing.WrittenCount == 0) return false;
        if (Other.Closed)
        {
            // Nobody is reading any more: the bytes are lost, and that is not progress, so the pump can move on to
            // closing this side (which has already been told the peer finished) instead of pulling more data forever.
            _outgoing.Clear();
            return false;
        }
        Other._incoming.Write(_outgoing.WrittenSpan);
        _outgoing.Clear();
        OnDrained();
        return true;
    }

    /// <summary>Delivers waiting received bytes to the protocol unless paused; true if any were delivered.</summary>
    internal bool Deliver()
    {
        if (_incoming.WrittenCount == 0 || ReadingPaused) return false;
        if (Closed)
        {
            _incoming.Clear();
            return false;
        }
        // Swap buffers first: the protocol may pump (and so receive more) while it handles the data. Reusing the two
        // buffers keeps the pump itself from allocating, so tests can measure what a protocol allocates per message.
        var data = _incoming;
        _incoming = _spare ?? new ArrayBufferWriter<byte>();
        _spare = null;
        try
        {
            Protocol.DataReceived(data.WrittenSpan);
        }
        finally
        {
            data.ResetWrittenCount();
            _spare = data;
        }
        return true;
    }

    /// <summary>Closes both sides at once if this side aborted; true if it did. Runs before any data moves.</summary>
    internal bool AdvanceAbort()
    {
        if (Closed || !_abortRequested) return false;
        Close(new ConnectionAbortedException());
        // The peer sees a reset: whatever it had not read yet is gone.
        Other._incoming.Clear();
        if (!Other.Closed) Other.Close(new ConnectionLostException("Connection reset by peer."));
        return true;
    }

    /// <summary>Takes the next closing step that is due once no data is moving; true if one was taken.</summary>
    internal bool AdvanceClose()
    {
        if (Closed || _outgoing.WrittenCount > 0) return false;

        if (Disconnecting)
        {
            Close(new ConnectionDoneException());
            return true;
        }

        if (_writeShutdownRequested && !WriteClosed)
        {
            // Only the sending direction closes (TCP FIN): reading goes on, as in Twisted, whether or not the protocol
            // is half-closeable; only a half-closeable one is told.
            WriteClosed = true;
            Other._peerFinishedWriting = true;
            if (Protocol is IHalfCloseableProtocol halfCloseable) halfCloseable.WriteConnectionLost();
            return true;
        }

        if (_peerFinishedWriting && !ReadClosed && _incoming.WrittenCount == 0 && !ReadingPaused)
        {
            // End-of-stream: a half-closeable protocol hears about it and decides when to close (Twisted does not
            // close for it, even when its own sending direction is already shut); any other protocol is disconnected.
            ReadClosed = true;
            if (Protocol is IHalfCloseableProtocol halfCloseable) halfCloseable.ReadConnectionLost();
            else Close(new ConnectionDoneException());
            return true;
        }
        return false;
    }

    private void OnDrained()
    {
        // As a real transport does when its send buffer empties: a paused push producer resumes, a pull producer is
        // asked for the next piece.
        if (!Closed) _producer.Drained(0, 0);
    }

    private void Close(Exception reason)
    {
        Closed = true;
        Disconnecting = true;
        _outgoing.Clear();
        Other._peerFinishedWriting = true;
        _producer.Stop();
        var failure = new Failure(reason);
        CloseReason = failure;
        try
        {
            Protocol.ConnectionLost(failure);
        }
        finally
        {
            _lossSignal.Complete();
        }
    }
}
