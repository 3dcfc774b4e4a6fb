using Twine.Native;
using Twine.Net;
using Twine.Protocols.Amp;
using Twine.Reactors;
using Twine.Tests.Net.Tcp;
using static Twine.Tests.Net.Tcp.NetTesting;

namespace Twine.Tests.Protocols.Amp;

/// <summary>AMP's Descriptor argument (AMP12) over a real Unix socket, and its clear failure elsewhere.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed unsafe class AmpDescriptorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("twine-ampfd-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed record WriteToArgs(int Fd, string Text);

    private sealed record Written(long Count);

    private static readonly AmpSchema<Written> WrittenSchema = AmpSchema.Of(AmpType.Integer.Field("count", (Written w) => w.Count), c => new Written(c));

    /// <summary>The server writes the text into the descriptor it is given and closes it.</summary>
    private static readonly AmpCommand<WriteToArgs, Written> WriteTo = new("WriteTo",
        AmpSchema.Of(
            AmpType.Descriptor.Field("fd", (WriteToArgs a) => a.Fd),
            AmpType.Unicode.Field("text", (WriteToArgs a) => a.Text),
            (fd, text) => new WriteToArgs(fd, text)),
        WrittenSchema);

    private sealed record ForgedArgs(long Fd, string Text);

    /// <summary>The same command declared with an Integer: sends an ordinal with no descriptor behind it.</summary>
    private static readonly AmpCommand<ForgedArgs, Written> Forged = new("WriteTo",
        AmpSchema.Of(
            AmpType.Integer.Field("fd", (ForgedArgs a) => a.Fd),
            AmpType.Unicode.Field("text", (ForgedArgs a) => a.Text),
            (fd, text) => new ForgedArgs(fd, text)),
        WrittenSchema);

    private static AmpResponders Server() => new AmpResponders().Add(WriteTo, args =>
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(args.Text);
        nint n;
        fixed (byte* p = bytes) n = LibC.Write(args.Fd, p, (nuint)bytes.Length);
        LibC.Close(args.Fd);
        return new Written(n);
    });

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
        return System.Text.Encoding.UTF8.GetString(buffer, 0, (int)Math.Max(n, 0));
    }

    /// <summary>Connects an AmpProtocol client to an AmpProtocol server on a Unix socket and runs <paramref name="use"/> once connected.</summary>
    private void WithUnixPair(Reactor reactor, Action<AmpProtocol> use)
    {
        string path = Path.Combine(_dir, "amp");
        reactor.ListenUnix(path, Factory.ForProtocol(() => new AmpProtocol(Server())));
        var client = new ClientAmp(use);
        reactor.ConnectUnix(path, ClientFactory.ForProtocol(() => client));
    }

    private sealed class ClientAmp(Action<AmpProtocol> use) : AmpProtocol
    {
        public override void ConnectionMade() => use(this);
    }

    [Theory, MemberData(nameof(NativeBackends), MemberType = typeof(NetTesting))]
    public void TwoDescriptorsTravelAndAreUsedByTheResponder(NetSetup backend)
    {
        // AMP12
        using var reactor = Create(backend);
        var (read1, write1) = Pipe();
        var (read2, write2) = Pipe();
        var results = new List<long>();
        WithUnixPair(reactor, amp =>
        {
            foreach (var (fd, text) in new[] { (write1, "first"), (write2, "second, longer") })
            {
                amp.CallRemote(WriteTo, new WriteToArgs(fd, text)).AddCallback(w =>
                {
                    results.Add(w.Count);
                    if (results.Count == 2) reactor.Stop();
                });
                LibC.Close(fd);   // a copy is queued on the transport
            }
        });
        Run(reactor);
        Assert.Equal([5L, 14L], results);
        Assert.Equal("first", ReadSome(read1));
        Assert.Equal("second, longer", ReadSome(read2));
        Assert.Equal("", ReadSome(read1));   // every copy of the write end is closed: EOF
        LibC.Close(read1);
        LibC.Close(read2);
    }

    [Fact]
    public void AnOrdinalWithNoDescriptorBehindItFailsTheCall()
    {
        using var reactor = Create(ReactorBackend.Epoll);
        Failure? failure = null;
        WithUnixPair(reactor, amp =>
            amp.CallRemote(Forged, new ForgedArgs(0, "x")).AddErrback(f =>
            {
                failure = f;
                reactor.Stop();
            }));
        Run(reactor);
        Assert.NotNull(failure);
    }

    [Fact]
    public void OverTcpADescriptorArgumentFailsClearlyAndSendsNothing()
    {
        using var reactor = Create(ReactorBackend.Epoll);
        Failure? failure = null;
        var (read, write) = Pipe();
        var client = new ClientAmp(amp =>
            amp.CallRemote(WriteTo, new WriteToArgs(write, "x")).AddErrback(f =>
            {
                failure = f;
                reactor.Stop();
            }));
        var (_, number) = ListenLocal(reactor, Factory.ForProtocol(() => new AmpProtocol(Server())));
        reactor.ConnectTcp("127.0.0.1", number, ClientFactory.ForProtocol(() => client));
        Run(reactor);
        var error = Assert.IsType<AmpArgumentException>(failure!.Value);
        Assert.Contains("Unix socket", error.Message);
        Assert.Equal(0, client.OutstandingCalls);
        LibC.Close(read);
        LibC.Close(write);
    }
}
