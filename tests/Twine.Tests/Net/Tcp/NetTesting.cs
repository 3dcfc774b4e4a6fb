using System.Net;
using Twine.Defer;
using Twine.Net;
using Twine.Net.Portable;
using Twine.Net.Sockets;
using Twine.Reactors;
using Twine.Tests.Reactors;
using Xunit.Abstractions;

namespace Twine.Tests.Net.Tcp;


/// <summary>
/// Helpers for tests on real loopback sockets: reactors on every backend and socket layer, guarded runs, recording
/// protocols. The transport tests run against <see cref="Backends"/>, so the native layer (on epoll and on poll) and the
/// portable layer pass the same conformance suite.
/// </summary>
internal static class NetTesting
{
    /// <summary>
    /// Every way the reactor can move socket bytes: epoll and poll with the native layer; the portable layer on epoll
    /// (a Linux reactor with TWINE_SOCKETS=portable) and on the descriptor-free wait backend (what Windows runs).
    /// </summary>
    public static TheoryData<NetSetup> Backends => new()
    {
        new NetSetup(ReactorBackend.Epoll, SocketLayer.Native),
        new NetSetup(ReactorBackend.Poll, SocketLayer.Native),
        new NetSetup(ReactorBackend.Epoll, SocketLayer.Portable),
        new NetSetup(ReactorBackend.Wait, SocketLayer.Portable),
    };

    /// <summary>The native layer only: for tests of its internals (descriptors, readiness, injected accept faults).</summary>
    public static TheoryData<NetSetup> NativeBackends => new()
    {
        new NetSetup(ReactorBackend.Epoll, SocketLayer.Native),
        new NetSetup(ReactorBackend.Poll, SocketLayer.Native),
    };

    public static Reactor Create(ReactorBackend backend) => ReactorTesting.Create(backend);

    public static Reactor Create(NetSetup setup) =>
        Reactor.Create(new ReactorOptions { Backend = setup.Backend, SocketLayer = setup.Layer, InstallSignalHandlers = false });

    /// <summary>Runs until <see cref="Reactor.Stop"/>; a 10 s guard crashes the reactor and fails the test.</summary>
    public static void Run(Reactor reactor) => ReactorTesting.RunGuarded(reactor);

    /// <summary>Descriptors registered with the loop plus handlers tracked without one (the portable layer's): what is still open.</summary>
    public static int OpenHandles(Reactor reactor) => reactor.RegisteredIoCount + reactor.TrackedCount;

    /// <summary>Segments in a socket transport's write buffer, on either layer.</summary>
    public static int BufferSegments(ITransport transport) => transport switch
    {
        StreamConnection native => native.BufferSegments,
        PortableConnection portable => portable.BufferSegments,
        _ => throw new ArgumentException($"Not a socket transport: {transport}"),
    };

    /// <summary>True while the system cannot take more of the transport's bytes: Writable interest (native) or a send in flight (portable).</summary>
    public static bool WaitingForKernel(ITransport transport) => transport switch
    {
        StreamConnection native => native.WaitingForWritable,
        PortableConnection portable => portable.SendPending,
        _ => throw new ArgumentException($"Not a socket transport: {transport}"),
    };

    /// <summary>Listens on 127.0.0.1 with an OS-chosen port; returns the port and its number.</summary>
    public static (IListeningPort Port, int Number) ListenLocal(Reactor reactor, IProtocolFactory factory)
    {
        var port = reactor.ListenTcp(0, factory, interfaceAddress: "127.0.0.1");
        return (port, ((IPEndPoint)port.Host).Port);
    }

    /// <summary>A pattern of <paramref name="length"/> bytes that reveals reordering or loss.</summary>
    public static byte[] Pattern(int length, int seed = 0)
    {
        var data = new byte[length];
        for (int i = 0; i < length; i++) data[i] = (byte)((i * 31 + seed + (i >> 8)) & 0xFF);
        return data;
    }

    /// <summary>A client factory that builds <paramref name="protocol"/> once and records failures.</summary>
    public static RecordingClientFactory Client(IProtocol protocol) => new(protocol);
}

/// <summary>A reactor backend and socket layer to run a transport test on; serializable so each shows as its own test case.</summary>
public sealed class NetSetup : IXunitSerializable
{
    public NetSetup() { }

    public NetSetup(ReactorBackend backend, SocketLayer layer)
    {
        Backend = backend;
        Layer = layer;
    }

    public ReactorBackend Backend { get; private set; }

    public SocketLayer Layer { get; private set; }

    public bool IsPortable => Layer == SocketLayer.Portable;

    public void Deserialize(IXunitSerializationInfo info)
    {
        Backend = Enum.Parse<ReactorBackend>(info.GetValue<string>("backend"));
        Layer = Enum.Parse<SocketLayer>(info.GetValue<string>("layer"));
    }

    public void Serialize(IXunitSerializationInfo info)
    {
        info.AddValue("backend", Backend.ToString());
        info.AddValue("layer", Layer.ToString());
    }

    public override string ToString() => $"{Backend}/{Layer}".ToLowerInvariant();
}

/// <summary>A protocol that records everything and lets a test hook each event.</summary>
internal class RecordingProtocol : Protocol
{
    private readonly MemoryStream _received = new();

    public bool Made { get; private set; }
    public Failure? LostReason { get; private set; }
    public int LostCount { get; private set; }
    public byte[] Received => _received.ToArray();
    public long ReceivedCount => _received.Length;

    public Action<RecordingProtocol>? OnMade { get; set; }
    public Action<RecordingProtocol, byte[]>? OnData { get; set; }
    public Action<RecordingProtocol, Failure>? OnLost { get; set; }

    public override void ConnectionMade()
    {
        Made = true;
        OnMade?.Invoke(this);
    }

    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        _received.Write(data);
        OnData?.Invoke(this, data.ToArray());
    }

    public override void ConnectionLost(Failure reason)
    {
        LostReason = reason;
        LostCount++;
        OnLost?.Invoke(this, reason);
    }
}

/// <summary>A recording protocol that also hears each direction closing.</summary>
internal sealed class HalfCloseRecordingProtocol : RecordingProtocol, IHalfCloseableProtocol
{
    public bool ReadLost { get; private set; }
    public bool WriteLost { get; private set; }
    public Action<HalfCloseRecordingProtocol>? OnReadLost { get; set; }
    public Action<HalfCloseRecordingProtocol>? OnWriteLost { get; set; }

    public void ReadConnectionLost()
    {
        ReadLost = true;
        OnReadLost?.Invoke(this);
    }

    public void WriteConnectionLost()
    {
        WriteLost = true;
        OnWriteLost?.Invoke(this);
    }
}

/// <summary>Echoes what it receives.</summary>
internal sealed class EchoProtocol : RecordingProtocol
{
    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        base.DataReceived(data);
        Transport.Write(data);
    }
}

/// <summary>A client factory handing out one protocol and recording what the connector reports.</summary>
internal sealed class RecordingClientFactory : ClientFactory
{
    private readonly IProtocol _protocol;

    public RecordingClientFactory(IProtocol protocol)
    {
        _protocol = protocol;
        Noisy = false;
    }

    public int Started { get; private set; }
    public Failure? Failed { get; private set; }
    public Failure? Lost { get; private set; }
    public Action<IConnector, Failure>? OnFailed { get; set; }
    public Action<IConnector, Failure>? OnLost { get; set; }

    public override IProtocol? BuildProtocol(EndPoint address)
    {
        if (_protocol is Protocol p) p.Factory = this;
        return _protocol;
    }

    public override void StartedConnecting(IConnector connector) => Started++;

    public override void ClientConnectionFailed(IConnector connector, Failure reason)
    {
        Failed = reason;
        OnFailed?.Invoke(connector, reason);
    }

    public override void ClientConnectionLost(IConnector connector, Failure reason)
    {
        Lost = reason;
        OnLost?.Invoke(connector, reason);
    }
}
