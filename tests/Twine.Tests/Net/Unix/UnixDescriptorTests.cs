using Twine.Native;
using Twine.Net;
using Twine.Reactors;
using Twine.Tests.Net.Tcp;
using static Twine.Tests.Net.Tcp.NetTesting;

namespace Twine.Tests.Net.Unix;

/// <summary>Passing file descriptors over Unix sockets (SCM_RIGHTS): IUnixTransport.SendFileDescriptor and IFileDescriptorReceiver.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed unsafe class UnixDescriptorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("twine-fd-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Read, int Write) Pipe()
    {
        int* fds = stackalloc int[2];
        Assert.Equal(0, LibC.Pipe2(fds, LibC.O_CLOEXEC_LINUX));
        return (fds[0], fds[1]);
    }

    private static string ReadSome(int fd)
    {
        var buffer = new byte[256];
        nint n;
        fixed (byte* p = buffer) n = LibC.Read(fd, p, (nuint)buffer.Length);
        return System.Text.Encoding.ASCII.GetString(buffer, 0, (int)Math.Max(n, 0));
    }

    /// <summary>Writes a greeting into every descriptor it receives, then closes it.</summary>
    private sealed class Receiver : RecordingProtocol, IFileDescriptorReceiver
    {
        public List<int> Order { get; } = [];

        public void FileDescriptorReceived(int fd)
        {
            Order.Add(-1);
            var text = "written by the receiver"u8.ToArray();
            fixed (byte* p = text) LibC.Write(fd, p, (nuint)text.Length);
            LibC.Close(fd);
        }

        public override void DataReceived(ReadOnlySpan<byte> data)
        {
            Order.Add(data.Length);
            base.DataReceived(data);
        }
    }

    [Theory, MemberData(nameof(NativeBackends), MemberType = typeof(NetTesting))]
    public void ADescriptorSentWithDataReachesTheReceiverBeforeTheData(NetSetup backend)
    {
        using var reactor = Create(backend);
        var (read, write) = Pipe();
        var receiver = new Receiver();
        receiver.OnData = (p, _) =>
        {
            if (p.ReceivedCount == 5) reactor.Stop();
        };
        reactor.ListenUnix(Path.Combine(_dir, "s"), Factory.ForProtocol(() => receiver));
        var sender = new RecordingProtocol
        {
            OnMade = p =>
            {
                var unix = Assert.IsAssignableFrom<IUnixTransport>(p.Transport);
                unix.SendFileDescriptor(write);
                LibC.Close(write);   // the transport holds its own copy until it is sent
                p.Transport.Write("hello"u8);
            },
        };
        reactor.ConnectUnix(Path.Combine(_dir, "s"), Client(sender));
        Run(reactor);
        Assert.Equal("hello", System.Text.Encoding.ASCII.GetString(receiver.Received));
        Assert.Equal(-1, receiver.Order[0]);
        Assert.Equal("written by the receiver", ReadSome(read));
        LibC.Close(read);
    }

    [Fact]
    public void ADescriptorForAProtocolThatCannotTakeItIsClosed()
    {
        using var reactor = Create(ReactorBackend.Epoll);
        var (read, write) = Pipe();
        var plain = new RecordingProtocol { OnData = (_, _) => reactor.Stop() };
        using var log = new Twine.Tests.Reactors.ReactorTesting.LogCapture("not an IFileDescriptorReceiver");
        reactor.ListenUnix(Path.Combine(_dir, "s"), Factory.ForProtocol(() => plain));
        var sender = new RecordingProtocol
        {
            OnMade = p =>
            {
                ((IUnixTransport)p.Transport).SendFileDescriptor(write);
                LibC.Close(write);
                p.Transport.Write("x"u8);
            },
        };
        reactor.ConnectUnix(Path.Combine(_dir, "s"), Client(sender));
        Run(reactor);
        // Every copy of the write end is closed (the sender's after sending, the receiver's on arrival): EOF.
        Assert.Equal("", ReadSome(read));
        Assert.NotEmpty(log.Events);
        LibC.Close(read);
    }

    [Fact]
    public void SendingABadDescriptorFailsClearly()
    {
        using var reactor = Create(ReactorBackend.Epoll);
        Exception? error = null;
        reactor.ListenUnix(Path.Combine(_dir, "s"), Factory.ForProtocol(() => new RecordingProtocol()));
        var sender = new RecordingProtocol
        {
            OnMade = p =>
            {
                error = Record.Exception(() => ((IUnixTransport)p.Transport).SendFileDescriptor(99999));
                reactor.Stop();
            },
        };
        reactor.ConnectUnix(Path.Combine(_dir, "s"), Client(sender));
        Run(reactor);
        Assert.IsType<IOException>(error);
    }

    [Fact]
    public void TcpTransportsDoNotOfferDescriptorPassing()
    {
        using var reactor = Create(ReactorBackend.Epoll);
        var server = new RecordingProtocol { OnMade = _ => reactor.Stop() };
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => server));
        reactor.ConnectTcp("127.0.0.1", number, Client(new RecordingProtocol()));
        Run(reactor);
        Assert.IsNotAssignableFrom<IUnixTransport>(server.Transport);
    }
}
