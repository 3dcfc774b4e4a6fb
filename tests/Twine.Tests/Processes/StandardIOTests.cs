using System.Text;
using Twine.Native;
using Twine.Net;
using Twine.Processes;
using Twine.Tests.Net.Tcp;
using Twine.Tests.Reactors;
using static Twine.Tests.Processes.ProcessTesting;

namespace Twine.Tests.Processes;

/// <summary>StandardIO with pipes standing in for descriptors 0 and 1.</summary>
[Collection(ProcessCollection.Name)]
public sealed unsafe class StandardIOTests
{
    private static (int Read, int Write) Pipe()
    {
        int* fds = stackalloc int[2];
        Assert.Equal(0, LibC.Pipe2(fds, LibC.O_CLOEXEC_LINUX));
        return (fds[0], fds[1]);
    }

    private static void WriteAll(int fd, byte[] data)
    {
        fixed (byte* p = data) Assert.Equal(data.Length, (int)LibC.Write(fd, p, (nuint)data.Length));
    }

    /// <summary>Reads <paramref name="fd"/> (blocking) to EOF.</summary>
    private static string ReadAll(int fd)
    {
        var result = new MemoryStream();
        var buffer = new byte[4096];
        while (true)
        {
            nint n;
            fixed (byte* p = buffer) n = LibC.Read(fd, p, (nuint)buffer.Length);
            if (n <= 0) break;
            result.Write(buffer, 0, (int)n);
        }
        return Encoding.ASCII.GetString(result.ToArray());
    }

    [Fact]
    public void AHalfCloseableProtocolHearsStdinEndAndGoesOnWriting()
    {
        // PR8
        var (inRead, inWrite) = Pipe();
        var (outRead, outWrite) = Pipe();
        WriteAll(inWrite, "hello filter\n"u8.ToArray());
        LibC.Close(inWrite);
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
        var stdio = new StandardIO(protocol, reactor, inRead, outWrite);
        Assert.Equal("pipe:0".Replace("0", inRead.ToString(System.Globalization.CultureInfo.InvariantCulture)), stdio.Peer.ToString());
        ReactorTesting.RunGuarded(reactor);
        Assert.True(protocol.ReadLost);
        Assert.IsType<ConnectionDoneException>(protocol.LostReason!.Value);
        Assert.Equal("HELLO FILTER\nbye\n", ReadAll(outRead));
        LibC.Close(outRead);
    }

    [Fact]
    public void AnyOtherProtocolIsDisconnectedWhenStdinEnds()
    {
        var (inRead, inWrite) = Pipe();
        var (outRead, outWrite) = Pipe();
        WriteAll(inWrite, "x"u8.ToArray());
        LibC.Close(inWrite);
        using var reactor = Create();
        var protocol = new RecordingProtocol
        {
            OnData = (p, d) => p.Transport.Write(d),
            OnLost = (_, _) => reactor.Stop(),
        };
        _ = new StandardIO(protocol, reactor, inRead, outWrite);
        ReactorTesting.RunGuarded(reactor);
        Assert.Equal(1, protocol.LostCount);
        Assert.Equal("x", ReadAll(outRead));   // pending output was written before the close
        LibC.Close(outRead);
    }

    [Fact]
    public void LoseWriteConnectionClosesStdoutAndTellsTheProtocol()
    {
        var (inRead, inWrite) = Pipe();
        var (outRead, outWrite) = Pipe();
        using var reactor = Create();
        var protocol = new HalfCloseRecordingProtocol
        {
            OnMade = p =>
            {
                p.Transport.Write("only this"u8);
                p.Transport.LoseWriteConnection();
            },
            OnWriteLost = _ => reactor.Stop(),
        };
        var stdio = new StandardIO(protocol, reactor, inRead, outWrite);
        ReactorTesting.RunGuarded(reactor);
        Assert.True(protocol.WriteLost);
        Assert.Equal("only this", ReadAll(outRead));
        stdio.AbortConnection();
        Assert.Equal(1, protocol.LostCount);
        LibC.Close(inWrite);
        LibC.Close(outRead);
    }

    [Fact]
    public void ARegularFileAsStdinIsRefusedClearly()
    {
        string path = Path.GetTempFileName();
        try
        {
            using var file = File.OpenHandle(path);
            var (outRead, outWrite) = Pipe();
            using var reactor = Create();
            Assert.Throws<IOException>(() => new StandardIO(new RecordingProtocol(), reactor, (int)file.DangerousGetHandle(), outWrite));
            LibC.Close(outRead);
            LibC.Close(outWrite);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
