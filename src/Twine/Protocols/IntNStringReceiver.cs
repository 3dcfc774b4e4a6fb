using System.Buffers.Binary;
using Twine.Net;

namespace Twine.Protocols;

/// <summary>
/// The shared machinery of <see cref="Int32StringReceiver"/>, <see cref="Int16StringReceiver"/> and
/// <see cref="Int8StringReceiver"/>, after Twisted's <c>IntNStringReceiver</c> (IN1–IN5): each message is an unsigned
/// big-endian length prefix of <see cref="PrefixLength"/> bytes, then that many bytes of payload.
/// </summary>
/// <remarks>
/// <para><see cref="MaxLength"/> is 99999 for every width, as in Twisted, and is checked as soon as a prefix arrives:
/// an oversized message goes to <see cref="LengthLimitExceeded"/> (by default, closing the connection) and nothing more
/// is delivered, even if the payload is already buffered (IN2).</para>
/// <para>Payloads are spans into the receive buffer, valid only during <see cref="StringReceived"/>. The unparsed
/// remainder is readable as <see cref="RemainingBytes"/>; <see cref="TakeRemainingBytes"/> hands it over and empties
/// the buffer, which is how a protocol switches to another protocol mid-stream (IN5, Twisted's <c>recvd</c>).</para>
/// <para>The receiver is an <see cref="IPushProducer"/>: while paused nothing is delivered (IN4).</para>
/// </remarks>
/// <example>
/// <code>
/// sealed class Echo : Int32StringReceiver
/// {
///     protected override void StringReceived(ReadOnlySpan&lt;byte&gt; payload) => SendString(payload);
/// }
/// // the peer sends 00 00 00 03 'f' 'o' 'o' and receives the same bytes back
/// </code>
/// </example>
public abstract class IntNStringReceiver : PausableReceiver
{
    private readonly ReceiveBuffer _buffer = new();

    /// <summary>Creates a receiver whose prefix is <paramref name="prefixLength"/> bytes (1, 2 or 4).</summary>
    private protected IntNStringReceiver(int prefixLength) => PrefixLength = prefixLength;

    /// <summary>The length of the prefix in bytes: 4, 2 or 1.</summary>
    public int PrefixLength { get; }

    /// <summary>The longest payload accepted. Default 99999 for every width (IN2).</summary>
    public long MaxLength { get; set; } = 99999;

    /// <summary>
    /// The received bytes not yet parsed. Inside <see cref="StringReceived"/> they follow the current message; inside
    /// <see cref="LengthLimitExceeded"/> they start with the oversized message's prefix (IN5). Valid until the buffer
    /// changes.
    /// </summary>
    public ReadOnlySpan<byte> RemainingBytes => _buffer.Span;

    /// <summary>Parses <paramref name="data"/> and delivers each complete message (IN1).</summary>
    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        _buffer.Receive(data, this, static self => self.Parse());
    }

    /// <summary>Called with each payload. The span is only valid during the call.</summary>
    protected abstract void StringReceived(ReadOnlySpan<byte> payload);

    /// <summary>
    /// Called when a prefix announces more than <see cref="MaxLength"/> bytes (IN2). Parsing stops; the default closes
    /// the connection.
    /// </summary>
    protected virtual void LengthLimitExceeded(long length) => TransportOrNull?.LoseConnection();

    /// <summary>
    /// Returns the unparsed bytes and empties the buffer, so parsing stops after the current message: hand them to the
    /// protocol that takes over the connection (IN5).
    /// </summary>
    public byte[] TakeRemainingBytes()
    {
        var bytes = _buffer.ToArray();
        _buffer.Clear();
        return bytes;
    }

    /// <summary>Replaces the unparsed bytes with <paramref name="data"/>; parsing continues with them (IN5, writing Twisted's <c>recvd</c>).</summary>
    public void ReplaceRemainingBytes(ReadOnlySpan<byte> data)
    {
        // Copy first: data may be a span of this very buffer.
        var copy = data.ToArray();
        _buffer.Clear();
        _buffer.Append(copy);
    }

    /// <summary>Sends <paramref name="payload"/> with its length prefix, in a single write (IN1).</summary>
    /// <exception cref="StringTooLongException">The length does not fit the prefix: 2^(8 × <see cref="PrefixLength"/>) or more (IN3).</exception>
    public void SendString(ReadOnlySpan<byte> payload)
    {
        var limit = 1L << (8 * PrefixLength);
        if (payload.Length >= limit) throw new StringTooLongException(payload.Length, limit);
        Span<byte> prefix = stackalloc byte[4];
        WritePrefix(prefix, (uint)payload.Length);
        FramedWrite.WithPrefixAndSuffix(Transport, prefix[..PrefixLength], payload, default);
    }

    private void Parse()
    {
        while (!Paused)
        {
            var pending = _buffer.Span;
            if (pending.Length < PrefixLength) return;
            long length = ReadPrefix(pending);
            // No array can hold more than Array.MaxLength, whatever MaxLength says.
            if (length > MaxLength || length > Array.MaxLength - PrefixLength)
            {
                // The buffer keeps the prefix, so RemainingBytes shows the whole offending message.
                LengthLimitExceeded(length);
                return;
            }
            var end = PrefixLength + length;
            if (pending.Length < end) return;
            _buffer.Consume((int)end);
            StringReceived(pending.Slice(PrefixLength, (int)length));
        }
    }

    private long ReadPrefix(ReadOnlySpan<byte> data) => PrefixLength switch
    {
        1 => data[0],
        2 => BinaryPrimitives.ReadUInt16BigEndian(data),
        _ => BinaryPrimitives.ReadUInt32BigEndian(data),
    };

    private void WritePrefix(Span<byte> destination, uint length)
    {
        switch (PrefixLength)
        {
            case 1: destination[0] = (byte)length; break;
            case 2: BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)length); break;
            default: BinaryPrimitives.WriteUInt32BigEndian(destination, length); break;
        }
    }
}
