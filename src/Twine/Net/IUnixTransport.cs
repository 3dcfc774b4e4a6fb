namespace Twine.Net;

/// <summary>
/// A Unix-domain stream transport, which can pass file descriptors to its peer (Twisted's <c>IUNIXTransport</c>).
/// </summary>
/// <example>
/// <code>
/// if (Transport is IUnixTransport unix)
/// {
///     unix.SendFileDescriptor(file.SafeFileHandle.DangerousGetHandle().ToInt32());
///     unix.Write("x"u8);   // every descriptor travels with one byte of data: write at least one per descriptor
/// }
/// </code>
/// </example>
public interface IUnixTransport : ITransport
{
    /// <summary>
    /// Queues a copy of <paramref name="fd"/> to be sent (SCM_RIGHTS) with the next byte that leaves; the caller keeps
    /// <paramref name="fd"/> and may close it at once. As in Twisted, each descriptor needs one byte of data after it:
    /// descriptors still queued when the connection closes are discarded.
    /// </summary>
    /// <exception cref="IOException">The descriptor cannot be copied (it is not open).</exception>
    void SendFileDescriptor(int fd);
}

/// <summary>
/// A protocol that accepts file descriptors passed over a Unix socket (Twisted's <c>IFileDescriptorReceiver</c>).
/// Each arrives before the data it came with; a protocol that is not a receiver has them closed (and logged).
/// </summary>
/// <example>
/// <code>
/// sealed class Receiver : Protocol, IFileDescriptorReceiver
/// {
///     public void FileDescriptorReceived(int fd) =&gt; Console.WriteLine($"got descriptor {fd}; it is mine to close");
/// }
/// </code>
/// </example>
public interface IFileDescriptorReceiver
{
    /// <summary>A descriptor arrived (close-on-exec set); the protocol owns it and must close it.</summary>
    void FileDescriptorReceived(int fd);
}
