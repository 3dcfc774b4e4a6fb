using System.Buffers;
using Twine.Defer;
using Twine.Net;

namespace Twine.Web.Client;

/// <summary>
/// A response body as it comes off its connection: held (with the connection paused) until someone asks for it, then
/// passed to the body protocol as it arrives. As the protocol's producer it pauses, resumes or drops the connection.
/// </summary>
internal sealed class ConnectionBody(HttpClientProtocol connection) : IResponseBody, IPushProducer
{
    private ArrayBufferWriter<byte>? _early;
    private IResponseBodyProtocol? _protocol;
    private Failure? _end;

    /// <summary>Whether the body has ended (completely or not).</summary>
    public bool Ended => _end is not null;

    public void Deliver(IResponseBodyProtocol protocol)
    {
        if (_protocol is not null) throw new InvalidOperationException("The response body has already been delivered.");
        _protocol = protocol;
        protocol.MakeConnection(this);
        if (_early is { } early)
        {
            _early = null;
            protocol.DataReceived(early.WrittenSpan);
        }
        if (_end is { } end) protocol.ConnectionLost(end);
        else connection.BodyWanted(this);
    }

    /// <summary>Body bytes; kept until a protocol is there (at most one read: the connection is paused meanwhile).</summary>
    public void Received(ReadOnlySpan<byte> data)
    {
        if (_end is not null) return;
        if (_protocol is null) (_early ??= new()).Write(data);
        else _protocol.DataReceived(data);
    }

    /// <summary>The body ended with <paramref name="reason"/> (<see cref="ResponseDoneException"/> when complete).</summary>
    public void Finish(Failure reason)
    {
        if (_end is not null) return;
        _end = reason;
        _protocol?.ConnectionLost(reason);
    }

    public void PauseProducing() => connection.PauseBody(this);

    public void ResumeProducing() => connection.ResumeBody(this);

    /// <summary>The consumer gave up: the connection is dropped, the rest of the body has nowhere to go.</summary>
    public void StopProducing() => connection.AbortBody(this);
}
