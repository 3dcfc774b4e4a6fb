using System.Globalization;
using Twine.Net;

namespace Twine.Protocols;

/// <summary>
/// Sends and receives netstrings (<c>12:hello world!,</c>), after Twisted's <c>NetstringReceiver</c> (NS1–NS3): an
/// ASCII decimal length, a colon, the payload and a comma.
/// </summary>
/// <remarks>
/// <para>Parsing is incremental: lengths, payloads and commas may be split anywhere across chunks (NS2). Each payload
/// goes to <see cref="StringReceived"/> as a span into the receive buffer, valid only during the call.</para>
/// <para>Invalid input (NS3) — not starting with a digit, a leading zero (<c>007:</c>), a missing colon, a length above
/// <see cref="MaxLength"/> (rejected as soon as its digits arrive, before the colon, and before converting an absurd
/// number of digits), or a missing comma — closes the connection with <see cref="ITransport.LoseConnection"/>, sets
/// <see cref="BrokenPeer"/> and <see cref="ParseError"/>, and ignores all further data. Nothing is thrown.</para>
/// </remarks>
/// <example>
/// <code>
/// sealed class Echo : NetstringReceiver
/// {
///     protected override void StringReceived(ReadOnlySpan&lt;byte&gt; payload) => SendString(payload);
/// }
/// // the peer sends "5:hello," and receives "5:hello,"
/// </code>
/// </example>
public abstract class NetstringReceiver : Protocol
{
    private readonly ReceiveBuffer _buffer = new();
    private bool _parsingPayload;
    private int _expectedPayloadSize;

    /// <summary>The longest payload accepted. Default 99999 (NS1).</summary>
    public int MaxLength { get; set; } = 99999;

    /// <summary>True once invalid data was received and the connection was closed (NS3).</summary>
    public bool BrokenPeer => ParseError is not null;

    /// <summary>What was wrong with the data, once <see cref="BrokenPeer"/> is set.</summary>
    public NetstringParseException? ParseError { get; private set; }

    /// <summary>Parses <paramref name="data"/> and delivers each complete netstring (NS2).</summary>
    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        if (BrokenPeer) return;
        _buffer.Receive(data, this, static self => self.Parse());
    }

    /// <summary>Called with each payload. The span is only valid during the call.</summary>
    protected abstract void StringReceived(ReadOnlySpan<byte> payload);

    /// <summary>Sends <paramref name="payload"/> as a netstring, in a single write (NS1).</summary>
    public void SendString(ReadOnlySpan<byte> payload)
    {
        Span<byte> prefix = stackalloc byte[12];
        payload.Length.TryFormat(prefix, out var digits, default, CultureInfo.InvariantCulture);
        prefix[digits] = (byte)':';
        FramedWrite.WithPrefixAndSuffix(Transport, prefix[..(digits + 1)], payload, ","u8);
    }

    /// <summary>Sends <paramref name="payload"/> encoded as UTF-8 as a netstring.</summary>
    public void SendString(string payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        SendString(System.Text.Encoding.UTF8.GetBytes(payload));
    }

    private void Parse()
    {
        while (!_buffer.IsEmpty && !BrokenPeer)
        {
            var pending = _buffer.Span;
            if (!_parsingPayload)
            {
                if (!TryConsumeLength(pending)) return;
                continue;
            }

            // The payload and its comma must all be here; Twisted checks the comma only then.
            if (pending.Length < _expectedPayloadSize) return;
            if (pending[_expectedPayloadSize - 1] != (byte)',')
            {
                Fail(NetstringParseException.MissingComma);
                return;
            }
            _buffer.Consume(_expectedPayloadSize);
            _parsingPayload = false;
            StringReceived(pending[..(_expectedPayloadSize - 1)]);
        }
    }

    /// <summary>Reads "digits:" from the front; false when more data is needed or the data is invalid.</summary>
    private bool TryConsumeLength(ReadOnlySpan<byte> pending)
    {
        // The length is "0" or a digit 1-9 followed by digits: a leading zero is not a length (Twisted's regex).
        int digits;
        if (pending[0] == (byte)'0') digits = 1;
        else if (pending[0] is >= (byte)'1' and <= (byte)'9')
        {
            digits = 1;
            while (digits < pending.Length && pending[digits] is >= (byte)'0' and <= (byte)'9') digits++;
        }
        else
        {
            Fail(NetstringParseException.MissingLength);
            return false;
        }

        var complete = digits < pending.Length;
        if (complete && pending[digits] != (byte)':')
        {
            Fail(NetstringParseException.MissingLength);
            return false;
        }

        // Check the size of the number before converting it, and the number itself, even before the colon arrives:
        // a peer announcing an oversized string is refused without waiting for it.
        if (digits > MaxLengthDigits() || ParseDigits(pending[..digits]) > MaxLength)
        {
            Fail(string.Format(CultureInfo.InvariantCulture, NetstringParseException.TooLongFormat, MaxLength));
            return false;
        }
        if (!complete) return false;

        _expectedPayloadSize = (int)ParseDigits(pending[..digits]) + 1;   // the payload and its comma
        _buffer.Consume(digits + 1);
        _parsingPayload = true;
        return true;
    }

    private int MaxLengthDigits() => MaxLength <= 1 ? 1 : (int)Math.Ceiling(Math.Log10(MaxLength)) + 1;

    private static long ParseDigits(ReadOnlySpan<byte> digits)
    {
        long value = 0;
        foreach (var d in digits) value = value * 10 + (d - '0');
        return value;
    }

    private void Fail(string message)
    {
        ParseError = new NetstringParseException(message);
        _buffer.Clear();
        TransportOrNull?.LoseConnection();
    }
}
