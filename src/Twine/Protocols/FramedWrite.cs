using System.Buffers;
using System.Text;
using Twine.Net;

namespace Twine.Protocols;

/// <summary>Builds a framed message in one pooled buffer so that each message is a single transport write.</summary>
internal static class FramedWrite
{
    public static void WithSuffix(IConsumer consumer, ReadOnlySpan<byte> body, ReadOnlySpan<byte> suffix)
    {
        var total = body.Length + suffix.Length;
        var rented = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            body.CopyTo(rented);
            suffix.CopyTo(rented.AsSpan(body.Length));
            consumer.Write(rented.AsSpan(0, total));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static void TextWithSuffix(IConsumer consumer, string text, ReadOnlySpan<byte> suffix)
    {
        var bodyLength = Encoding.UTF8.GetByteCount(text);
        var total = bodyLength + suffix.Length;
        var rented = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            Encoding.UTF8.GetBytes(text, rented);
            suffix.CopyTo(rented.AsSpan(bodyLength));
            consumer.Write(rented.AsSpan(0, total));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static void WithPrefixAndSuffix(IConsumer consumer, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> body, ReadOnlySpan<byte> suffix)
    {
        var total = prefix.Length + body.Length + suffix.Length;
        var rented = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            prefix.CopyTo(rented);
            body.CopyTo(rented.AsSpan(prefix.Length));
            suffix.CopyTo(rented.AsSpan(prefix.Length + body.Length));
            consumer.Write(rented.AsSpan(0, total));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
