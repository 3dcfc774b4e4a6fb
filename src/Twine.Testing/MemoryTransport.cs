using System.Net;
using Twine.Net;

namespace Twine.Testing;

/// <summary>
/// A transport that keeps what is written in memory and records every other call, for testing protocols without
/// sockets: Twisted's <c>StringTransport</c> (ST1–ST3).
/// </summary>
/// <remarks>
/// <para>It does nothing on its own: <see cref="LoseConnection"/> only sets <see cref="Disconnecting"/>, and no
/// callbacks are made (use <see cref="MemoryTransportWithDisconnection"/> for that). Feed the protocol with
/// <c>protocol.DataReceived(...)</c> and read what it wrote with <see cref="Value"/>.</para>
/// <para>Default addresses: the peer is 192.168.1.1:54321 and the host 10.0.0.1:12345, as in Twisted.</para>
/// </remarks>
/// <example>
/// <code>
/// var transport = new MemoryTransport();
/// var protocol = new Echo();
/// protocol.MakeConnection(transport);
/// protocol.DataReceived("hello"u8);
/// Assert.Equal("hello", transport.ValueAsString());
/// transport.Clear();
/// </code>
/// </example>
public class MemoryTransport : ITransport
{
    private readonly MemoryStream _written = new();

    /// <summary>Creates the transport.</summary>
    /// <param name="host">This end's address; default 10.0.0.1:12345.</param>
    /// <param name="peer">The other end's address; default 192.168.1.1:54321.</param>
    /// <param name="lenient">Allow pausing and resuming after <see cref="LoseConnection"/> (ST3).</param>
    public MemoryTransport(EndPoint? host = null, EndPoint? peer = null, bool lenient = false)
    {
        Host = host ?? new IPEndPoint(IPAddress.Parse("10.0.0.1"), 12345);
        Peer = peer ?? new IPEndPoint(IPAddress.Parse("192.168.1.1"), 54321);
        Lenient = lenient;
    }

    /// <inheritdoc />
    public EndPoint Host { get; set; }

    /// <inheritdoc />
    public EndPoint Peer { get; set; }

    /// <summary>Whether pausing and resuming are allowed after <see cref="LoseConnection"/> (ST3).</summary>
    public bool Lenient { get; }

    /// <summary>True until a disconnection is delivered (used by <see cref="MemoryTransportWithDisconnection"/>).</summary>
    public bool Connected { get; protected set; } = true;

    /// <summary>True once <see cref="LoseConnection"/> or <see cref="AbortConnection"/> was called (ST1).</summary>
    public bool Disconnecting { get; protected set; }

    /// <summary>True once <see cref="AbortConnection"/> was called (ST1).</summary>
    public bool Disconnected { get; protected set; }

    /// <summary>True once <see cref="LoseWriteConnection"/> was called.</summary>
    public bool WriteDisconnected { get; protected set; }

    /// <summary>The registered producer, or null (ST2).</summary>
    public IProducer? Producer { get; private set; }

    /// <summary>Whether the registered producer is streaming; null when none is registered (ST2).</summary>
    public bool? Streaming { get; private set; }

    /// <summary>This transport's state as a push producer (ST3).</summary>
    public ProducerState ProducerState { get; private set; } = ProducerState.Producing;

    /// <summary>Everything written since the last <see cref="Clear"/> (ST1).</summary>
    public byte[] Value() => _written.ToArray();

    /// <summary><see cref="Value"/> decoded as UTF-8, for readable assertions.</summary>
    public string ValueAsString() => System.Text.Encoding.UTF8.GetString(_written.GetBuffer(), 0, (int)_written.Length);

    /// <summary>Forgets what was written so far (ST1).</summary>
    public void Clear() => _written.SetLength(0);

    /// <summary>Appends <paramref name="data"/> to <see cref="Value"/> (ST1).</summary>
    public void Write(ReadOnlySpan<byte> data) => _written.Write(data);

    /// <summary>Appends each buffer to <see cref="Value"/> in order (ST1).</summary>
    public void WriteSequence(IEnumerable<ReadOnlyMemory<byte>> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        foreach (var chunk in data) _written.Write(chunk.Span);
    }

    /// <summary>Sets <see cref="Disconnecting"/>; nothing else happens (ST1).</summary>
    public virtual void LoseConnection() => Disconnecting = true;

    /// <summary>
    /// <see cref="LoseConnection"/>, completed at once: a memory transport has no connection to wait for (the test
    /// decides when the protocol's <c>ConnectionLost</c> runs; <see cref="MemoryTransportWithDisconnection"/> runs it
    /// inside <see cref="LoseConnection"/>).
    /// </summary>
    public virtual ValueTask DisposeAsync()
    {
        LoseConnection();
        return ValueTask.CompletedTask;
    }

    /// <summary>Sets <see cref="WriteDisconnected"/>.</summary>
    public virtual void LoseWriteConnection() => WriteDisconnected = true;

    /// <summary>Sets <see cref="Disconnected"/> and <see cref="Disconnecting"/> (ST1).</summary>
    public virtual void AbortConnection()
    {
        Disconnected = true;
        Disconnecting = true;
    }

    /// <summary>Records the producer (ST2).</summary>
    /// <exception cref="InvalidOperationException">A producer is already registered; the first one is kept.</exception>
    /// <exception cref="ArgumentException">A streaming producer that is not an <see cref="IPushProducer"/>, or a non-streaming one that is not an <see cref="IPullProducer"/>.</exception>
    public void RegisterProducer(IProducer producer, bool streaming)
    {
        ArgumentNullException.ThrowIfNull(producer);
        // StringTransport records the producer and asks nothing of it: the kind checks are the shared ones.
        if (Producer is not null) throw new InvalidOperationException("Cannot register two producers");
        ProducerSlot.CheckKind(producer, streaming);
        Producer = producer;
        Streaming = streaming;
    }

    /// <summary>Forgets the producer (ST2).</summary>
    /// <exception cref="InvalidOperationException">No producer is registered.</exception>
    public void UnregisterProducer()
    {
        if (Producer is null) throw new InvalidOperationException("Cannot unregister a producer unless one is registered");
        Producer = null;
        Streaming = null;
    }

    /// <summary>Moves to <see cref="Testing.ProducerState.Paused"/> (ST3).</summary>
    /// <exception cref="InvalidOperationException">Stopped, or disconnecting and not <see cref="Lenient"/>.</exception>
    public void PauseProducing()
    {
        CheckCanChangeProducerState();
        ProducerState = ProducerState.Paused;
    }

    /// <summary>Moves to <see cref="Testing.ProducerState.Producing"/> (ST3).</summary>
    /// <exception cref="InvalidOperationException">Stopped, or disconnecting and not <see cref="Lenient"/>.</exception>
    public void ResumeProducing()
    {
        CheckCanChangeProducerState();
        ProducerState = ProducerState.Producing;
    }

    /// <summary>Moves to <see cref="Testing.ProducerState.Stopped"/> (ST3).</summary>
    public void StopProducing() => ProducerState = ProducerState.Stopped;

    private void CheckCanChangeProducerState()
    {
        // Twisted refuses so that code resuming a closed connection (and then waiting for data forever) is caught.
        if (Disconnecting && !Lenient) throw new InvalidOperationException("Cannot resume producing after loseConnection");
        if (ProducerState == ProducerState.Stopped) throw new InvalidOperationException("Cannot resume a stopped producer");
    }
}
