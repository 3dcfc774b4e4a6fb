using Twine.Defer;
using Twine.Net;
using Twine.Web.Client;

namespace Twine.Cli;

/// <summary><c>twine get</c>'s body protocol: writes the body to a stream as it arrives and reports progress.</summary>
internal sealed class BodyWriter(Stream target, DownloadProgress? progress) : IResponseBodyProtocol
{
    private IPushProducer? _producer;

    /// <summary>Fires when the body is complete, or fails with why it is not.</summary>
    public Deferred<Unit> Done { get; } = new();

    public void MakeConnection(IPushProducer producer) => _producer = producer;

    public void DataReceived(ReadOnlySpan<byte> data)
    {
        if (Done.Called) return;
        try
        {
            target.Write(data);
        }
        catch (IOException e)
        {
            Stop(e);
            return;
        }
        progress?.Add(data.Length);
    }

    public void ConnectionLost(Failure reason)
    {
        if (Done.Called) return;
        progress?.Finish();
        if (reason.Check<ResponseDoneException>()) Done.Callback(Unit.Value);
        else Done.Errback(reason);
    }

    /// <summary>Gives up on the body (a timeout, a write error): the connection is dropped.</summary>
    public void Stop(Exception reason)
    {
        if (Done.Called) return;
        progress?.Finish();
        Done.Errback(reason);
        _producer?.StopProducing();
    }

    public void Close()
    {
        target.Flush();
        if (target is FileStream) target.Dispose();
    }
}
