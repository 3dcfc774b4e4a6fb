using Twine.Defer;
using Twine.Net;

namespace Twine.Web.Client;

/// <summary>
/// A request body held in memory: sent with a Content-Length in one write. It can be produced again, so a request
/// carrying it may be retried on a fresh connection.
/// </summary>
/// <example>
/// <code>
/// agent.Request("POST", url, [new("Content-Type", "text/plain")], new BytesBodyProducer("hi"u8.ToArray()));
/// </code>
/// </example>
public sealed class BytesBodyProducer : IBodyProducer
{
    private readonly byte[] _body;

    /// <summary>Wraps <paramref name="body"/> (not copied: do not change it while a request is in flight).</summary>
    public BytesBodyProducer(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        _body = body;
    }

    /// <inheritdoc />
    public long? Length => _body.Length;

    /// <inheritdoc />
    public Deferred<Unit> StartProducing(IConsumer consumer)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        // One write: the transport buffers what the socket cannot take yet, and the body is already in memory.
        consumer.Write(_body);
        return Deferred.Succeed();
    }

    /// <summary>Nothing to pause: the body was written at once.</summary>
    public void PauseProducing() { }

    /// <summary>Nothing to resume: the body was written at once.</summary>
    public void ResumeProducing() { }

    /// <summary>Nothing to stop: the body was written at once.</summary>
    public void StopProducing() { }
}
