using Twine.Logging;
using Twine.Native;
using Twine.Net;

namespace Twine.Protocols.Amp;

// Descriptor arguments (AMP12): file descriptors travel beside the boxes over a Unix socket, after Twisted's
// _DescriptorExchanger. The box carries only an ordinal: the n-th descriptor this side sent is ordinal n, and the
// receiver files the n-th descriptor it receives under n until a Descriptor field claims it.
public partial class AmpProtocol : IFileDescriptorReceiver
{
    // AmpType values are encoded without a protocol in hand; Descriptor needs one, so the protocol makes itself the
    // current codec while it writes or reads a box. One thread runs the protocol, and the scope never outlives the call.
    [ThreadStatic]
    private static AmpProtocol? t_codec;

    private readonly Dictionary<int, int> _descriptorsIn = [];
    private int _descriptorsReceived;
    private int _descriptorsSent;

    /// <summary>The protocol writing or reading a box on this thread, if any.</summary>
    internal static AmpProtocol? CurrentCodec => t_codec;

    /// <summary>Descriptors received and not yet claimed by a <see cref="AmpType.Descriptor"/> field (tests).</summary>
    internal int UnclaimedDescriptors => _descriptorsIn.Count;

    private CodecScope EnterCodec()
    {
        var previous = t_codec;
        t_codec = this;
        return new CodecScope(previous);
    }

    private readonly struct CodecScope(AmpProtocol? previous) : IDisposable
    {
        public void Dispose() => t_codec = previous;
    }

    /// <summary>Files a descriptor from the peer under the next ordinal (Twisted's <c>fileDescriptorReceived</c>).</summary>
    public void FileDescriptorReceived(int fd) => _descriptorsIn[_descriptorsReceived++] = fd;

    /// <summary>Queues <paramref name="fd"/> on the Unix transport and returns its ordinal.</summary>
    /// <exception cref="ArgumentException">The transport cannot pass descriptors (TCP, TLS, memory).</exception>
    internal int SendDescriptor(int fd)
    {
        if (TransportOrNull is not IUnixTransport unix)
            throw new ArgumentException(
                $"a Descriptor can only travel over a Unix socket, and this connection's transport is {TransportOrNull?.GetType().Name ?? "not connected"}");
        unix.SendFileDescriptor(fd);
        return _descriptorsSent++;
    }

    /// <summary>Claims the descriptor received under <paramref name="ordinal"/>; the caller owns it from now on.</summary>
    /// <exception cref="FormatException">No descriptor with that ordinal has arrived (or it was claimed already).</exception>
    internal int TakeDescriptor(long ordinal)
    {
        if (ordinal is < 0 or > int.MaxValue || !_descriptorsIn.Remove((int)ordinal, out int fd))
            throw new FormatException($"no file descriptor with ordinal {ordinal} has been received on this connection");
        return fd;
    }

    /// <summary>Descriptors nobody claimed would leak: close them with the connection.</summary>
    private void CloseUnclaimedDescriptors()
    {
        foreach (int fd in _descriptorsIn.Values)
        {
            Log.Info($"Closing descriptor {fd}, received on an AMP connection but never claimed by a Descriptor argument");
            LibC.Close(fd);
        }
        _descriptorsIn.Clear();
    }
}
