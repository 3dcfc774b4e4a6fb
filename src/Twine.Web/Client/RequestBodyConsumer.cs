using System.Globalization;
using System.Text;
using Twine.Net;

namespace Twine.Web.Client;

/// <summary>
/// What a request body producer writes to: frames each write as a chunk when the length is unknown, or counts the
/// bytes against the announced Content-Length (a producer writing more would corrupt the next request on the
/// connection, so it is refused).
/// </summary>
internal sealed class RequestBodyConsumer(ITransport transport, long? length) : IConsumer
{
    private long _written;

    /// <summary>Whether the producer wrote exactly what it announced (always true for a chunked body).</summary>
    public bool Complete => length is null || _written == length;

    /// <summary>The bytes written so far.</summary>
    public long Written => _written;

    public void RegisterProducer(IProducer producer, bool streaming) => transport.RegisterProducer(producer, streaming);

    public void UnregisterProducer() => transport.UnregisterProducer();

    /// <exception cref="InvalidOperationException">More bytes than the announced length.</exception>
    public void Write(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        if (length is { } n)
        {
            if (_written + data.Length > n)
                throw new InvalidOperationException($"The body producer wrote more than its announced length of {n} bytes.");
            _written += data.Length;
            transport.Write(data);
            return;
        }
        _written += data.Length;
        // An empty chunk would end the body, which is why empty writes are skipped above.
        transport.Write(Encoding.ASCII.GetBytes(data.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
        transport.Write(data);
        transport.Write("\r\n"u8);
    }

    /// <summary>Ends a chunked body with the last chunk.</summary>
    public void Finish()
    {
        if (length is null) transport.Write("0\r\n\r\n"u8);
    }
}
