using System.Text;
using Twine.Net;
using Twine.Processes;
using Twine.Reactors;
using Twine.Tests.Net.Tcp;
using Twine.Tests.Reactors;

namespace Twine.Tests.Processes;

/// <summary>
/// StandardIO's portable form, over streams (what it uses off Linux): the same half-close and ordering rules as over
/// descriptors (PR8), on a real reactor with each read and write completing on the runtime's threads.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class StandardIOStreamTests
{
    private static Reactor Create() => Reactor.Create(new ReactorOptions { InstallSignalHandlers = false });

    [Fact]
    public void AHalfCloseableProtocolHearsInputEndAndGoesOnWriting()
    {
        // PR8
        var input = new MemoryStream("hello filter\n"u8.ToArray());
        var output = new KeptStream();
        using var reactor = Create();
        var protocol = new HalfCloseRecordingProtocol
        {
            OnData = (p, d) => p.Transport.Write(Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(d).ToUpperInvariant())),
            OnReadLost = p =>
            {
                p.Transport.Write("bye\n"u8);
                p.Transport.LoseConnection();
            },
            OnLost = (_, _) => reactor.Stop(),
        };
        var stdio = new StandardIO(protocol, reactor, input, output);
        Assert.Equal("pipe:0", stdio.Peer.ToString());
        ReactorTesting.RunGuarded(reactor);
        Assert.True(protocol.ReadLost);
        Assert.IsType<ConnectionDoneException>(protocol.LostReason!.Value);
        Assert.Equal("HELLO FILTER\nbye\n", output.Text);
        Assert.True(output.Disposed);
    }

    [Fact]
    public void AnyOtherProtocolIsDisconnectedWhenInputEnds_AfterItsOutputIsWritten()
    {
        var input = new MemoryStream("x"u8.ToArray());
        var output = new KeptStream();
        using var reactor = Create();
        var protocol = new RecordingProtocol
        {
            OnData = (p, d) => p.Transport.Write(d),
            OnLost = (_, _) => reactor.Stop(),
        };
        _ = new StandardIO(protocol, reactor, input, output);
        ReactorTesting.RunGuarded(reactor);
        Assert.Equal(1, protocol.LostCount);
        Assert.Equal("x", output.Text);
    }

    [Fact]
    public void AFailingOutputStreamIsAWriteLossTheProtocolHears()
    {
        var output = new KeptStream { Fail = true };
        using var input = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.In);
        using var reactor = Create();
        var protocol = new HalfCloseRecordingProtocol
        {
            OnMade = p => p.Transport.Write("lost"u8),
            OnWriteLost = p => p.Transport.LoseConnection(),
            OnLost = (_, _) => reactor.Stop(),
        };
        _ = new StandardIO(protocol, reactor, input, output);
        ReactorTesting.RunGuarded(reactor);
        input.DisposeLocalCopyOfClientHandle();   // ends the read still blocked on the runtime's thread
        Assert.True(protocol.WriteLost);
        Assert.Equal(1, protocol.LostCount);
        Assert.Equal("", output.Text);
    }

    /// <summary>A memory stream that keeps its bytes readable after the transport disposes it, or fails every write.</summary>
    private sealed class KeptStream : MemoryStream
    {
        public bool Fail { get; init; }
        public bool Disposed { get; private set; }
        public string Text => Encoding.ASCII.GetString(ToArray());

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Fail) throw new IOException("Broken pipe");
            base.Write(buffer, offset, count);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Fail ? Task.FromException(new IOException("Broken pipe")) : base.WriteAsync(buffer, offset, count, cancellationToken);

        protected override void Dispose(bool disposing) => Disposed = true;
    }
}
