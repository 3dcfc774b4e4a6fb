using System.Text;
using Twine.Native;
using Twine.Net;
using Twine.Processes;
using Twine.Tests.Net.Tcp;
using Twine.Tests.Reactors;
using static Twine.Tests.Processes.ProcessTesting;

namespace Twine.Tests.Processes;

/// <summary>
/// StandardIO with pipes, regular files, sockets and a terminal standing in for descriptors 0 and 1, polled by the
/// native loop (the stream form, used off Linux, is in <see cref="StandardIOStreamTests"/>).
/// </summary>
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

    /// <summary>An upper-casing filter that says "bye" when its input ends and then closes: a typical StandardIO tool.</summary>
    private static HalfCloseRecordingProtocol UpperFilter(Twine.Reactors.Reactor reactor) => new()
    {
        OnData = (p, d) => p.Transport.Write(Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(d).ToUpperInvariant())),
        OnReadLost = p =>
        {
            p.Transport.Write("bye\n"u8);
            p.Transport.LoseConnection();
        },
        OnLost = (_, _) => reactor.Stop(),
    };

    [Fact]
    public void ARegularFileAsStdinIsReadToItsEndAndHalfClosed()
    {
        // PR8, PR14 with `tool < file`: epoll refuses a regular file, so it is read turn by turn; its end is the half-close.
        // 300 KB: several reads, so the turn-by-turn reading is exercised, not one read of everything.
        string path = Path.GetTempFileName();
        try
        {
            var text = string.Concat(Enumerable.Range(0, 30_000).Select(i => $"line {i % 10}\n"));
            File.WriteAllText(path, text);
            using var file = File.OpenHandle(path);
            var (outRead, outWrite) = Pipe();
            using var reactor = Create();
            var protocol = UpperFilter(reactor);
            string? output = null;
            using var drained = new ManualResetEventSlim();
            // The pipe holds 64 KiB: read it as it fills, on a thread of its own.
            new Thread(() => { output = ReadAll(outRead); drained.Set(); }) { IsBackground = true }.Start();
            _ = new StandardIO(protocol, reactor, (int)file.DangerousGetHandle(), outWrite);
            ReactorTesting.RunGuarded(reactor);
            ReactorTesting.WaitOrFail(drained, "the output to be read to its end");
            Assert.True(protocol.ReadLost);
            Assert.Equal(text.ToUpperInvariant() + "bye\n", output);
            LibC.Close(outRead);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ARegularFileAsStdoutReceivesEverything()
    {
        // PR14, `tool > file`: writes go straight to the file, nothing waits for readiness.
        string path = Path.GetTempFileName();
        try
        {
            var (inRead, inWrite) = Pipe();
            WriteAll(inWrite, "to a file\n"u8.ToArray());
            LibC.Close(inWrite);
            using (var file = File.OpenHandle(path, FileMode.Open, FileAccess.Write))
            {
                using var reactor = Create();
                _ = new StandardIO(UpperFilter(reactor), reactor, inRead, (int)file.DangerousGetHandle());
                ReactorTesting.RunGuarded(reactor);
                file.SetHandleAsInvalid();   // StandardIO closed it
            }
            Assert.Equal("TO A FILE\nbye\n", File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void SocketsAsStdinAndStdoutHalfCloseAndCarryEverything()
    {
        // PR8 under inetd-style sockets: the peer shuts down its sending side (stdin's EOF, the half-close), the filter
        // still answers on stdout, and the peer reads to EOF once StandardIO closes it.
        using var input = SocketPair.Create();
        using var output = SocketPair.Create();
        SocketPair.Write(input.Left, "over a socket\n"u8.ToArray());
        Assert.Equal(0, Twine.Net.Native.SocketNative.Shutdown(input.Left, 1 /* SHUT_WR */));
        using var reactor = Create();
        var protocol = UpperFilter(reactor);
        _ = new StandardIO(protocol, reactor, input.Right, output.Right);
        ReactorTesting.RunGuarded(reactor);
        Assert.True(protocol.ReadLost);
        Assert.Equal("OVER A SOCKET\nbye\n", ReadAll(output.Left));
    }

    [Fact]
    public void ATerminalAsStdinDeliversLinesAndItsEndOfFile()
    {
        // A pty, as an interactive `tool` gets: the terminal hands over a line at a time, and ^D at the start of a line
        // is its end of file, which a half-closeable protocol hears as the half-close (PR8).
        int master = OpenPty(out string slavePath);
        int slaveIn = Open(slavePath), slaveOut = Open(slavePath);
        try
        {
            WriteAll(master, "typed\n\u0004"u8.ToArray());
            using var reactor = Create();
            var protocol = UpperFilter(reactor);
            var received = new StringBuilder();
            protocol.OnData = (p, d) => received.Append(Encoding.ASCII.GetString(d));
            _ = new StandardIO(protocol, reactor, slaveIn, slaveOut);
            ReactorTesting.RunGuarded(reactor);
            Assert.True(protocol.ReadLost);
            Assert.Equal("typed\n", received.ToString());
        }
        finally
        {
            LibC.Close(master);
        }
    }

    private static int OpenPty(out string slavePath)
    {
        int master = PosixOpenPt(0x2 | 0x100 | LibC.O_CLOEXEC_LINUX);   // O_RDWR | O_NOCTTY
        Assert.True(master >= 0, "posix_openpt failed");
        Assert.Equal(0, GrantPt(master));
        Assert.Equal(0, UnlockPt(master));
        var name = stackalloc byte[128];
        Assert.Equal(0, PtsNameR(master, name, 128));
        slavePath = new string((sbyte*)name);
        return master;
    }

    private static int Open(string path)
    {
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            int fd = OpenFile(p, 0x2 | 0x100 | LibC.O_CLOEXEC_LINUX);
            Assert.True(fd >= 0, $"open {path} failed");
            return fd;
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "posix_openpt")]
    private static extern int PosixOpenPt(int flags);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "grantpt")]
    private static extern int GrantPt(int fd);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "unlockpt")]
    private static extern int UnlockPt(int fd);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "ptsname_r")]
    private static extern int PtsNameR(int fd, byte* buffer, nuint length);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "open")]
    private static extern int OpenFile(byte* path, int flags);
}
