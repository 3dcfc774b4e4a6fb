using System.Buffers;
using System.Globalization;
using System.Text;
using Twine.Defer;
using Twine.Logging;
using Twine.Net;

namespace Twine.Protocols.Amp;

/// <summary>
/// An AMP connection, after Twisted's <c>AMP</c>: both ends can call commands on the other
/// (<see cref="CallRemote{TArguments, TResponse}"/>) and answer the other's calls (<see cref="Responders"/>), over
/// any stream transport. Byte-for-byte compatible with Twisted's <c>twisted.protocols.amp</c>.
/// </summary>
/// <remarks>
/// <para>Requests carry a tag (<c>_ask</c>) and replies echo it, so any number of calls can be in flight and answers
/// arrive in whatever order the responders finish (AMP4, AMP5).</para>
/// <para>A responder's declared error goes back with its code and the connection stays open; an undeclared one goes
/// back as <c>UNKNOWN</c>, is logged, and the connection is closed; a command without a responder is answered
/// <c>UNHANDLED</c> (AMP5). Malformed input (a key over 255 bytes, a box over <see cref="MaxBoxLength"/>, a box
/// that is neither a request nor a reply, a reply to a question never asked) closes this connection only, and its
/// outstanding calls fail with the <see cref="AmpProtocolException"/> (AMP2, AMP3). When the connection goes, every
/// outstanding call fails with the reason, and later calls fail at once (AMP8).</para>
/// <para>Use it from the reactor thread, like every protocol.</para>
/// </remarks>
/// <example>
/// <code>
/// // Server: answer Sum on every connection.
/// var responders = new AmpResponders().Add(Commands.Sum, a => new SumResult(a.A + a.B));
/// await Endpoints.Server(reactor, "tcp:7000").Listen(Factory.ForProtocol(() => new AmpProtocol(responders)));
///
/// // Client: call it.
/// var amp = await Endpoints.ConnectProtocol(Endpoints.Client(reactor, "tcp:host=127.0.0.1:port=7000"), new AmpProtocol());
/// SumResult r = await amp.CallRemote(Commands.Sum, new SumArgs(13, 81));   // r.Total == 94
/// </code>
/// </example>
public partial class AmpProtocol : Protocol
{
    /// <summary>The default for <see cref="MaxBoxLength"/>: 16 MiB.</summary>
    public const int DefaultMaxBoxLength = 16 * 1024 * 1024;

    private readonly ReceiveBuffer _buffer = new();
    private readonly AmpBoxParser _parser = new(DefaultMaxBoxLength);
    private readonly Dictionary<ulong, IPendingCall> _outstanding = [];
    private ulong _lastTag;
    private Failure? _closed;

    /// <summary>Creates a connection that answers the commands in <paramref name="responders"/> (a new, empty table if null).</summary>
    public AmpProtocol(AmpResponders? responders = null) => Responders = responders ?? new AmpResponders();

    /// <summary>The commands this connection answers. Add to it before or after connecting.</summary>
    public AmpResponders Responders { get; }

    /// <summary>
    /// The largest box accepted from the peer, in serialized bytes (default 16 MiB). Twisted sets no limit; one is
    /// needed so that a peer cannot make this side buffer without end. A bigger box closes the connection.
    /// </summary>
    public int MaxBoxLength
    {
        get => _parser.MaxBoxLength;
        set => _parser.MaxBoxLength = value;
    }

    /// <summary>How many calls are waiting for their answer.</summary>
    public int OutstandingCalls => _outstanding.Count;

    /// <summary>Why the connection ended (lost, closed, or broken by bad input), or null while it is usable.</summary>
    public Failure? ClosedReason => _closed;

    /// <summary>
    /// Calls <paramref name="command"/> on the peer. The Deferred fires with the response, or fails with the declared
    /// exception the peer answered with, an <see cref="AmpUnhandledCommandException"/>, an
    /// <see cref="AmpUnknownRemoteException"/>, or the reason the connection ended (AMP4–AMP8). Arguments that cannot
    /// be sent fail it at once, and nothing is sent (AMP2, AMP9).
    /// </summary>
    /// <exception cref="InvalidOperationException">Not connected yet.</exception>
    public Deferred<TResponse> CallRemote<TArguments, TResponse>(AmpCommand<TArguments, TResponse> command, TArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!command.RequiresAnswer)
            return Deferred.Fail<TResponse>(new InvalidOperationException(
                $"The AMP command '{command.Name}' requires no answer: send it with Notify, which sends no _ask."));
        if (_closed is { } closed) return Deferred.Fail<TResponse>(new Failure(closed));
        if (command.Arguments is FieldSchema<TArguments> { WritesDirectly: true } schema)
            return CallDirect(command, schema, arguments);
        AmpBox box;
        try
        {
            using (EnterCodec()) box = Request(command, arguments);
        }
        catch (Exception e) when (e is AmpArgumentException or AmpProtocolException or ArgumentException)
        {
            return Deferred.Fail<TResponse>(e);
        }
        var tag = ++_lastTag;
        box.Set(AmpKeys.Ask, TagBytes(tag));
        var call = new PendingCall<TArguments, TResponse>(command);
        // Registered before the write: an answer could only come later, but a failed write must not leave it behind.
        _outstanding.Add(tag, call);
        try
        {
            SendBox(box);
        }
        catch
        {
            _outstanding.Remove(tag);
            throw;
        }
        return call.Result;
    }

    /// <summary>
    /// Sends <paramref name="command"/> without asking for an answer (no <c>_ask</c>): the peer answers nothing, and
    /// if its responder fails it drops the connection (AMP4). The Deferred fires once the request is written, or fails
    /// if it cannot be (bad arguments, connection gone).
    /// </summary>
    public Deferred<Unit> Notify<TArguments, TResponse>(AmpCommand<TArguments, TResponse> command, TArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (_closed is { } closed) return Deferred.Fail<Unit>(new Failure(closed));
        try
        {
            if (command.Arguments is FieldSchema<TArguments> { WritesDirectly: true } schema)
            {
                NotifyDirect(command, schema, arguments);
            }
            else
            {
                AmpBox request;
                using (EnterCodec()) request = Request(command, arguments);
                SendBox(request);
            }
        }
        catch (Exception e) when (e is AmpArgumentException or AmpProtocolException or ArgumentException)
        {
            return Deferred.Fail(e);
        }
        return Deferred.Succeed();
    }

    /// <summary>Sends a box as it is, in one write: for protocols built on raw boxes.</summary>
    /// <exception cref="InvalidOperationException">The connection has ended or was never made.</exception>
    public void SendBox(AmpBox box)
    {
        ArgumentNullException.ThrowIfNull(box);
        if (_closed is not null) throw new InvalidOperationException("The AMP connection has ended; nothing more can be sent.");
        var length = box.SerializedLength;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = box.WriteTo(rented);
            Transport.Write(rented.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Parses the boxes in <paramref name="data"/> and handles each; bad input closes the connection.</summary>
    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        if (_closed is not null) return;
        _buffer.Receive(data, this, static self => self.ParseBoxes());
    }

    /// <summary>Fails every outstanding call with the reason (or with the protocol error that closed the connection, AMP8).</summary>
    public override void ConnectionLost(Failure reason)
    {
        _closed ??= reason;
        CloseUnclaimedDescriptors();
        if (_outstanding.Count == 0) return;
        var calls = _outstanding.Values.ToArray();
        _outstanding.Clear();
        foreach (var call in calls) call.Fail(new Failure(_closed));
    }

    /// <summary>
    /// Handles one box from the peer: a reply (<c>_answer</c> or <c>_error</c>) settles its call, a request
    /// (<c>_command</c>) goes to its responder (AMP3). Override to see raw boxes; call the base to keep AMP working.
    /// </summary>
    /// <exception cref="AmpProtocolException">The box is not a valid request or reply; the connection is closed.</exception>
    protected virtual void BoxReceived(AmpBox box)
    {
        ArgumentNullException.ThrowIfNull(box);
        // Keys looked up as bytes and values kept as slices of the box: a received box is read where it lies.
        if (box.TryGetMemory("_answer"u8, out var answerTag))
        {
            TakeCall(answerTag.Span, "an answer").Answer(box);
        }
        else if (box.TryGetMemory("_error"u8, out var errorTag))
        {
            var call = TakeCall(errorTag.Span, "an error");
            if (!box.TryGetMemory("_error_code"u8, out var code))
                throw new AmpProtocolException("An AMP error reply has no _error_code.");
            // Twisted decodes the description leniently too: it is for people, not for parsing.
            var description = box.TryGetMemory("_error_description"u8, out var text) ? Encoding.UTF8.GetString(text.Span) : "";
            call.Error(Encoding.Latin1.GetString(code.Span), description);
        }
        else if (box.TryGetMemory("_command"u8, out var name))
        {
            CommandReceived(name.Span, box, box.TryGetMemory("_ask"u8, out var ask) ? ask : (ReadOnlyMemory<byte>?)null);
        }
        else
        {
            throw new AmpProtocolException($"An AMP box with none of _answer, _error or _command: {box}.");
        }
    }

    private IPendingCall TakeCall(ReadOnlySpan<byte> tag, string what)
    {
        if (!TryParseTag(tag, out var key) || !_outstanding.Remove(key, out var call))
            throw new AmpProtocolException($"The peer sent {what} to question {AmpText.Quote(tag)}, which was never asked or is already answered.");
        return call;
    }

    /// <summary>A tag as Twisted writes them: the counter in lowercase hex, no padding (AMP4).</summary>
    private static byte[] TagBytes(ulong tag)
    {
        Span<byte> hex = stackalloc byte[16];
        tag.TryFormat(hex, out var written, "x", CultureInfo.InvariantCulture);
        return hex[..written].ToArray();
    }

    /// <summary>Reads back a tag this side wrote; anything else (leading zeros, capitals, not hex) is no tag of ours.</summary>
    private static bool TryParseTag(ReadOnlySpan<byte> bytes, out ulong tag)
    {
        tag = 0;
        if (bytes.IsEmpty || bytes.Length > 16 || bytes[0] == '0') return false;
        foreach (var b in bytes)
        {
            int digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                _ => -1,
            };
            if (digit < 0) return false;
            tag = tag * 16 + (ulong)digit;
        }
        return true;
    }

    private void CommandReceived(ReadOnlySpan<byte> name, AmpBox box, ReadOnlyMemory<byte>? ask)
    {
        if (Responders.TryGet(name, out var responder))
        {
            responder.Dispatch(this, box, ask);
            return;
        }
        var description = $"Unhandled Command: {AmpText.Quote(name, int.MaxValue)}";
        if (ask is null)
        {
            DropAfterUnansweredFailure(Encoding.Latin1.GetString(name), new AmpUnhandledCommandException(description));
            return;
        }
        SendError(ask.Value.Span, AmpKeys.UnhandledErrorCode, description, thenClose: false);
    }

    private static AmpBox Request<TArguments, TResponse>(AmpCommand<TArguments, TResponse> command, TArguments arguments)
    {
        var box = new AmpBox();
        command.Arguments.Write(arguments, box);
        box.Set(AmpKeys.Command, command.NameBytes);
        return box;
    }

    private void ParseBoxes()
    {
        while (_closed is null)
        {
            AmpBox? box;
            try
            {
                _buffer.Consume(_parser.Parse(_buffer.Span, out box));
            }
            catch (AmpProtocolException e)
            {
                Break(e);
                return;
            }
            if (box is null) return;
            try
            {
                using (EnterCodec()) BoxReceived(box);
            }
            catch (Exception e)
            {
                Break(e);
                return;
            }
        }
    }

    /// <summary>The peer broke the protocol: log it, stop reading, fail calls with the error, close (AMP2, AMP3).</summary>
    private void Break(Exception error)
    {
        if (_closed is not null) return;
        var failure = new Failure(error);
        Log.Error(LogEventId.AmpConnectionClosed, typeof(AmpProtocol), $"AMP: closing the connection to {TransportOrNull?.Peer}: {error.Message}", failure);
        _closed = failure;
        _buffer.Clear();
        TransportOrNull?.LoseConnection();
    }
}
