using Twine.Native;
using Twine.Reactors.Io;
using Twine.Reactors;

namespace Twine.Tests.Reactors;

/// <summary>A connected pair of Unix stream sockets (blocking), closed on dispose.</summary>
internal sealed unsafe class SocketPair : IDisposable
{
    private SocketPair(int left, int right)
    {
        Left = left;
        Right = right;
    }

    public int Left { get; }
    public int Right { get; private set; }

    public static SocketPair Create()
    {
        int* fds = stackalloc int[2];
        if (LibC.SocketPair(LibC.AF_UNIX, LibC.SOCK_STREAM, 0, fds) < 0) throw LibC.Error("socketpair");
        return new SocketPair(fds[0], fds[1]);
    }

    public static void Write(int fd, byte[] data)
    {
        fixed (byte* p = data)
            if (LibC.Write(fd, p, (nuint)data.Length) != data.Length) throw LibC.Error("write");
    }

    public static byte[] Read(int fd, int max = 4096)
    {
        var buffer = new byte[max];
        nint n;
        fixed (byte* p = buffer) n = LibC.Read(fd, p, (nuint)max);
        if (n < 0) throw LibC.Error("read");
        return buffer[..(int)n];
    }

    /// <summary>Closes the right end early (to make the left end see EOF / hang-up).</summary>
    public void CloseRight()
    {
        if (Right < 0) return;
        LibC.Close(Right);
        Right = -1;
    }

    public void Dispose()
    {
        LibC.Close(Left);
        CloseRight();
    }
}

/// <summary>An I/O handler that records what the reactor told it.</summary>
internal sealed class RecordingHandler : IIoHandler
{
    public IoRegistration? Registration { get; set; }
    public List<IoEvents> Ready { get; } = [];
    public int ShutdownCalls { get; private set; }
    public Exception? ThrowOnShutdown { get; init; }
    public Action<IoEvents>? OnReady { get; set; }

    public void OnIoReady(IoEvents events)
    {
        Ready.Add(events);
        OnReady?.Invoke(events);
    }

    public void OnReactorShutdown()
    {
        ShutdownCalls++;
        if (ThrowOnShutdown is { } ex) throw ex;
        Registration?.Dispose();
    }
}
