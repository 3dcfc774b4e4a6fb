using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Twine.Net.Native;

namespace Twine.Net.Sockets;

/// <summary>
/// Converts between .NET endpoints and Linux <c>sockaddr</c> bytes (<c>sockaddr_in</c>, <c>sockaddr_in6</c>,
/// <c>sockaddr_un</c>), into caller-provided buffers so the hot paths (accept, recvfrom) need no allocation beyond the
/// endpoint object itself.
/// </summary>
internal static unsafe class SocketAddressCodec
{
    /// <summary>Big enough for any address Twine uses (<c>sockaddr_un</c> is 110 bytes; <c>sockaddr_storage</c> is 128).</summary>
    internal const int MaxSize = 128;

    /// <summary>The address family to create a socket with for <paramref name="endPoint"/>.</summary>
    internal static int FamilyOf(EndPoint endPoint) => endPoint switch
    {
        IPEndPoint { AddressFamily: AddressFamily.InterNetwork } => SocketNative.AF_INET,
        IPEndPoint { AddressFamily: AddressFamily.InterNetworkV6 } => SocketNative.AF_INET6,
        UnixDomainSocketEndPoint => SocketNative.AF_UNIX,
        _ => throw new ArgumentException($"Unsupported endpoint {endPoint} ({endPoint.GetType().Name}).", nameof(endPoint)),
    };

    /// <summary>Writes <paramref name="endPoint"/> as a <c>sockaddr</c> into <paramref name="buffer"/>; returns its length.</summary>
    internal static int Encode(EndPoint endPoint, Span<byte> buffer)
    {
        buffer[..Math.Min(buffer.Length, 28)].Clear();
        switch (endPoint)
        {
            case IPEndPoint { AddressFamily: AddressFamily.InterNetwork } ip:
                BinaryPrimitives.WriteUInt16LittleEndian(buffer, SocketNative.AF_INET);
                BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], (ushort)ip.Port);
                ip.Address.TryWriteBytes(buffer.Slice(4, 4), out _);
                return 16;
            case IPEndPoint { AddressFamily: AddressFamily.InterNetworkV6 } ip6:
                BinaryPrimitives.WriteUInt16LittleEndian(buffer, SocketNative.AF_INET6);
                BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], (ushort)ip6.Port);
                ip6.Address.TryWriteBytes(buffer.Slice(8, 16), out _);
                BinaryPrimitives.WriteUInt32LittleEndian(buffer[24..], (uint)ip6.Address.ScopeId);
                return 28;
            case UnixDomainSocketEndPoint unix:
                // .NET already knows the sockaddr_un encoding (path length, abstract names); on Linux its buffer is
                // the native layout.
                var serialized = unix.Serialize();
                serialized.Buffer.Span[..serialized.Size].CopyTo(buffer);
                return serialized.Size;
            default:
                throw new ArgumentException($"Unsupported endpoint {endPoint} ({endPoint.GetType().Name}).", nameof(endPoint));
        }
    }

    /// <summary>Reads a <c>sockaddr</c> of <paramref name="length"/> bytes; null if the family is not one Twine knows.</summary>
    internal static EndPoint? Decode(ReadOnlySpan<byte> address, int length)
    {
        if (length < 2) return null;
        int family = BinaryPrimitives.ReadUInt16LittleEndian(address);
        switch (family)
        {
            case SocketNative.AF_INET when length >= 8:
                return new IPEndPoint(new IPAddress(address.Slice(4, 4)), BinaryPrimitives.ReadUInt16BigEndian(address[2..]));
            case SocketNative.AF_INET6 when length >= 24:
                long scope = length >= 28 ? BinaryPrimitives.ReadUInt32LittleEndian(address[24..]) : 0;
                return new IPEndPoint(new IPAddress(address.Slice(8, 16), scope), BinaryPrimitives.ReadUInt16BigEndian(address[2..]));
            case SocketNative.AF_UNIX:
                var socketAddress = new SocketAddress(AddressFamily.Unix, Math.Max(length, 2));
                address[..length].CopyTo(socketAddress.Buffer.Span);
                return s_unixTemplate.Create(socketAddress);
            default:
                return null;
        }
    }

    /// <summary>
    /// True when <paramref name="address"/> holds the same <c>sockaddr</c> as <paramref name="cached"/> was decoded from,
    /// so a UDP port can reuse the endpoint object of a peer that sends many datagrams.
    /// </summary>
    internal static bool SameBytes(ReadOnlySpan<byte> address, int length, ReadOnlySpan<byte> cached, int cachedLength) =>
        length == cachedLength && address[..length].SequenceEqual(cached[..cachedLength]);

    /// <summary>The local address of <paramref name="fd"/> (getsockname).</summary>
    internal static EndPoint? LocalAddress(int fd)
    {
        byte* buffer = stackalloc byte[MaxSize];
        int length = MaxSize;
        if (SocketNative.GetSockName(fd, buffer, &length) != 0) return null;
        return Decode(new ReadOnlySpan<byte>(buffer, MaxSize), Math.Min(length, MaxSize));
    }

    /// <summary>The remote address of <paramref name="fd"/> (getpeername).</summary>
    internal static EndPoint? RemoteAddress(int fd)
    {
        byte* buffer = stackalloc byte[MaxSize];
        int length = MaxSize;
        if (SocketNative.GetPeerName(fd, buffer, &length) != 0) return null;
        return Decode(new ReadOnlySpan<byte>(buffer, MaxSize), Math.Min(length, MaxSize));
    }

    private static readonly UnixDomainSocketEndPoint s_unixTemplate = new("/");
}
