using Microsoft.Win32.SafeHandles;

namespace Twine.Net;

/// <summary>
/// A transport that can send part of a file without the bytes passing through the process: the region is queued in
/// the write buffer in order with the other writes, and the kernel copies it from the page cache to the socket
/// (<c>sendfile(2)</c>) when it reaches the head. Plain TCP and Unix socket transports offer it; TLS does not (the
/// bytes must be encrypted in the process), so check for the role and fall back to reading the file.
/// </summary>
/// <remarks>
/// The region counts in the transport's buffered bytes, so producers are paused and pulled as for written bytes: a
/// pull producer registered after the region is asked for more only once the region has gone. It does not count
/// towards <see cref="ISocketTransport.WriteBufferLimit"/>, which bounds memory.
/// </remarks>
/// <example>
/// <code>
/// if (transport is IFileSendingTransport files)
///     files.WriteFile(File.OpenHandle(path), offset: 0, count: new FileInfo(path).Length);
/// else
///     transport.Write(File.ReadAllBytes(path));
/// </code>
/// </example>
public interface IFileSendingTransport : ITransport
{
    /// <summary>
    /// Queues <paramref name="count"/> bytes of <paramref name="file"/> starting at <paramref name="offset"/> behind
    /// everything written so far. The transport owns <paramref name="file"/> from now on and disposes it once the region
    /// is sent, or when the connection closes first (at once if it is already closed). If the file turns out shorter
    /// than the region, the connection is aborted: the peer was promised bytes that cannot come.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative offset or count.</exception>
    void WriteFile(SafeFileHandle file, long offset, long count);
}
