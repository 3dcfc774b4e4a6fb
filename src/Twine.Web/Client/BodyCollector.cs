using System.Buffers;
using Twine.Defer;
using Twine.Net;

namespace Twine.Web.Client;

/// <summary>
/// <see cref="Response.ReadBody"/>'s body protocol: gathers the body up to a limit, stopping the connection as soon as
/// the limit is passed (or announced to be passed), and keeps what arrived when the body is cut short.
/// </summary>
internal sealed class BodyCollector(long limit, long? declaredLength, Deferred<byte[]> result) : IResponseBodyProtocol
{
    private readonly ArrayBufferWriter<byte> _body = new();
    private IPushProducer? _producer;

    /// <summary>Stops the body (a cancelled read).</summary>
    public void Stop() => _producer?.StopProducing();

    public void MakeConnection(IPushProducer producer)
    {
        _producer = producer;
        if (declaredLength > limit) TooLarge();
    }

    public void DataReceived(ReadOnlySpan<byte> data)
    {
        if (result.Called) return;
        if (_body.WrittenCount + (long)data.Length > limit)
        {
            TooLarge();
            return;
        }
        _body.Write(data);
    }

    public void ConnectionLost(Failure reason)
    {
        if (result.Called) return;
        if (reason.Check<ResponseDoneException>()) result.Callback(_body.WrittenSpan.ToArray());
        else if (reason.Value is PartialBodyException partial)
            result.Errback(new PartialBodyException(_body.WrittenSpan.ToArray(), partial.ExpectedLength, partial.InnerException));
        else result.Errback(reason);
    }

    private void TooLarge()
    {
        // Fail before stopping: stopping drops the connection, whose cut-short report must not replace this error.
        result.Errback(new BodyTooLargeException(limit));
        _producer!.StopProducing();
    }
}
