using System.Net;
using Twine.Defer;
using Twine.Logging;
using Twine.Net;
using Twine.Reactors.Io;

namespace Twine.Processes;

/// <summary>
/// Connects a stream <see cref="IProtocol"/> to this process's own stdin and stdout (or any two descriptors), after
/// Twisted's <c>StandardIO</c>: both are made non-blocking and driven by the reactor, so a filter or a line-oriented
/// tool is written like any network protocol.
/// </summary>
/// <remarks>
/// <para>When stdin ends, an <see cref="IHalfCloseableProtocol"/> hears <see cref="IHalfCloseableProtocol.ReadConnectionLost"/>
/// and may go on writing (PR8); any other protocol is disconnected (its pending output is written first).
/// <see cref="ITransport.LoseWriteConnection"/> closes stdout once drained and tells a half-closeable protocol
/// <see cref="IHalfCloseableProtocol.WriteConnectionLost"/>. <see cref="IProtocol.ConnectionLost"/> comes once both are closed.</para>
/// <para>The descriptors may be pipes, sockets, terminals or regular files (<c>tool &lt; input.txt &gt; output.txt</c>): a
/// file cannot be polled and is always ready, so it is read (or written) once per loop iteration instead, as Twisted's
/// reactors poll files continuously. They are closed when the transport closes. O_NONBLOCK is set on the open file
/// description, which a terminal shares with the other programs using it, as with Twisted.</para>
/// </remarks>
/// <example>
/// <code>
/// // An upper-casing filter: `producer | twine-upper | consumer`.
/// sealed class Upper : Protocol, IHalfCloseableProtocol
/// {
///     public override void DataReceived(ReadOnlySpan&lt;byte&gt; data) => Transport.Write(Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(data).ToUpperInvariant()));
///     public void ReadConnectionLost() => Transport.LoseConnection();
///     public void WriteConnectionLost() { }
///     public override void ConnectionLost(Failure reason) => reactor.Stop();
/// }
/// new StandardIO(new Upper(), reactor);
/// </code>
/// </example>
public sealed class StandardIO : ITransport
{
    private readonly IProtocol _protocol;
    private readonly IPipeReader _reader;
    private readonly BufferedPipeWriter _writer;
    private readonly Owner _owner;
    private readonly ConnectionLossSignal _lossSignal = new();
    private bool _disconnecting;
    private bool _lost;

    /// <summary>
    /// Connects <paramref name="protocol"/> to the descriptors <paramref name="stdin"/> and <paramref name="stdout"/> on
    /// <paramref name="reactor"/>'s loop; its <c>MakeConnection</c> runs now. On Linux the descriptors are polled by
    /// the loop; elsewhere they are read and written through streams (as the <see cref="Stream"/> overload does), with
    /// 0 and 1 meaning this process's console input and output.
    /// </summary>
    /// <exception cref="ArgumentException">The reactor is not one Twine's I/O loop runs (a test double).</exception>
    /// <exception cref="IOException">A descriptor is not open, or cannot be made non-blocking.</exception>
    public StandardIO(IProtocol protocol, IReactorProcess reactor, int stdin = 0, int stdout = 1)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        var loop = LoopOf(reactor);
        _protocol = protocol;
        _owner = new Owner(this);
        if (OperatingSystem.IsLinux())
        {
            ProcessNative.SetNonBlocking(stdin);
            ProcessNative.SetNonBlocking(stdout);
            var reader = new PipeReader(loop, stdin, 0, _owner);
            var writer = new PipeWriter(loop, stdout, 1, _owner);
            reader.Start(paused: false);
            writer.Start();
            (_reader, _writer) = (reader, writer);
        }
        else
        {
            (_reader, _writer) = StreamPipes(loop, OpenStream(stdin, FileAccess.Read), OpenStream(stdout, FileAccess.Write));
        }
        Host = new PipeAddress(stdout);
        Peer = new PipeAddress(stdin);
        Connect();
    }

    /// <summary>
    /// Connects <paramref name="protocol"/> to two streams, read and written asynchronously with each completion
    /// delivered on <paramref name="reactor"/>'s thread: the portable form, for any OS and for anything that is a
    /// stream (the console, a named pipe, a file). The streams are disposed when the transport closes.
    /// </summary>
    /// <exception cref="ArgumentException">The reactor is not one Twine's I/O loop runs (a test double).</exception>
    public StandardIO(IProtocol protocol, IReactorProcess reactor, Stream input, Stream output)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var loop = LoopOf(reactor);
        _protocol = protocol;
        _owner = new Owner(this);
        (_reader, _writer) = StreamPipes(loop, input, output);
        Host = new PipeAddress(1);
        Peer = new PipeAddress(0);
        Connect();
    }

    private static IIoLoop LoopOf(IReactorProcess reactor) =>
        reactor as IIoLoop ?? throw new ArgumentException("StandardIO needs a reactor with an I/O loop (Twine.Reactors.Reactor).", nameof(reactor));

    private (IPipeReader, BufferedPipeWriter) StreamPipes(IIoLoop loop, Stream input, Stream output)
    {
        var reader = new StreamPipeReader(loop, input, 0, _owner);
        reader.Start(paused: false);
        return (reader, new StreamPipeWriter(loop, output, 1, _owner));
    }

    private static Stream OpenStream(int fd, FileAccess access) => (fd, access) switch
    {
        (0, FileAccess.Read) => Console.OpenStandardInput(),
        (1, FileAccess.Write) => Console.OpenStandardOutput(),
        _ => new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true), access, 1),
    };

    private void Connect()
    {
        try
        {
            _protocol.MakeConnection(this);
        }
        catch (Exception ex)
        {
            _owner.ProtocolFailed("MakeConnection", ex);
        }
    }

    /// <inheritdoc />
    public EndPoint Peer { get; }

    /// <inheritdoc />
    public EndPoint Host { get; }

    /// <inheritdoc />
    public bool Disconnecting => _disconnecting;

    /// <inheritdoc />
    public void Write(ReadOnlySpan<byte> data) => _writer.Write(data);

    /// <inheritdoc />
    public void WriteSequence(IEnumerable<ReadOnlyMemory<byte>> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        foreach (var chunk in data) _writer.Write(chunk.Span);
    }

    /// <inheritdoc />
    public void RegisterProducer(IProducer producer, bool streaming) => _writer.RegisterProducer(producer, streaming);

    /// <inheritdoc />
    public void UnregisterProducer() => _writer.UnregisterProducer();

    /// <summary>Stops reading stdin now and closes stdout once what is buffered has been written.</summary>
    public void LoseConnection()
    {
        if (_disconnecting) return;
        _disconnecting = true;
        _reader.Close(Protocol.ConnectionDone);
        _writer.LoseConnection();
    }

    /// <inheritdoc />
    public void LoseWriteConnection() => _writer.LoseConnection();

    /// <summary><see cref="LoseConnection"/>, completing once the protocol's <c>ConnectionLost</c> has run.</summary>
    public ValueTask DisposeAsync()
    {
        var wait = _lossSignal.Wait();
        if (!wait.IsCompleted) LoseConnection();
        return wait;
    }

    /// <summary>Closes both descriptors now, discarding buffered output.</summary>
    public void AbortConnection()
    {
        _disconnecting = true;
        _reader.Close(new Failure(new ConnectionAbortedException()));
        _writer.Close(new Failure(new ConnectionAbortedException()));
    }

    /// <inheritdoc />
    public void PauseProducing() => _reader.Pause();

    /// <inheritdoc />
    public void ResumeProducing() => _reader.Resume();

    /// <inheritdoc />
    public void StopProducing() => LoseConnection();

    private void Closed(int which, Failure reason)
    {
        if (!_reader.Closed || !_writer.Closed)
        {
            if (which == 0 && !_disconnecting)
            {
                if (_protocol is IHalfCloseableProtocol half) Call("ReadConnectionLost", half.ReadConnectionLost);
                else LoseConnection();
            }
            else if (which == 1 && _protocol is IHalfCloseableProtocol half)
            {
                Call("WriteConnectionLost", half.WriteConnectionLost);
            }
            return;
        }
        if (_lost) return;
        _lost = true;
        Call("ConnectionLost", () => _protocol.ConnectionLost(reason));
        _lossSignal.Complete();
    }

    private void Call(string where, Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            _owner.ProtocolFailed(where, ex);
        }
    }

    /// <summary>The pipes report here; kept private so the public type does not expose the internal role.</summary>
    private sealed class Owner(StandardIO io) : IPipeOwner
    {
        public void PipeData(int childFd, ReadOnlySpan<byte> data) => io._protocol.DataReceived(data);

        public void PipeClosed(int childFd, Failure reason) => io.Closed(childFd, reason);

        public void ProtocolFailed(string where, Exception error)
        {
            Log.Error($"Unhandled error in {io._protocol.GetType().Name}.{where} on standard I/O; closing it", new Failure(error));
            io._disconnecting = true;
            io._reader.Close(new Failure(error));
            io._writer.Close(new Failure(error));
        }
    }
}

/// <summary>The address of a pipe end: its descriptor number (Twisted's <c>PipeAddress</c>).</summary>
/// <example><code>Console.WriteLine(standardIO.Peer);   // pipe:0</code></example>
public sealed class PipeAddress(int fd) : EndPoint
{
    /// <summary>The descriptor.</summary>
    public int Fd { get; } = fd;

    /// <inheritdoc />
    public override string ToString() => $"pipe:{Fd}";

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PipeAddress other && other.Fd == Fd;

    /// <inheritdoc />
    public override int GetHashCode() => Fd;
}
